package org.revbench.core.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Every model on the class path, by id. */
public final class ModelRegistry {

    private final Map<String, ModelDefinition> byId;

    private ModelRegistry(Map<String, ModelDefinition> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    /** Loads every {@link ModelProvider}; two models with one id are an error. */
    public static ModelRegistry load() {
        Map<String, ModelDefinition> m = new TreeMap<>();
        for (ModelProvider p : ServiceLoader.load(ModelProvider.class)) {
            for (ModelDefinition d : p.models()) {
                if (!d.id().matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                    throw new IllegalStateException("model id '" + d.id() + "' is not lower case with hyphens");
                }
                ModelDefinition prev = m.put(d.id(), d);
                if (prev != null) {
                    throw new IllegalStateException("model id '" + d.id() + "' registered twice: "
                            + prev.getClass().getName() + " and " + d.getClass().getName());
                }
            }
        }
        return new ModelRegistry(m);
    }

    public List<ModelDefinition> all() { return List.copyOf(byId.values()); }

    public List<String> ids() { return List.copyOf(byId.keySet()); }

    /** The model, or an {@link UnknownModelException} listing the known ids. */
    public ModelDefinition get(String id) {
        ModelDefinition d = byId.get(id);
        if (d == null) {
            throw new UnknownModelException(id, ids());
        }
        return d;
    }

    /** Thrown for an id no provider registered. */
    public static final class UnknownModelException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public UnknownModelException(String id, List<String> known) {
            super("unknown model '" + id + "'; known models: " + String.join(", ", known));
        }
    }
}
