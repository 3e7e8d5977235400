package org.revbench.core.paper;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Every paper on the class path, by id; listed in id order, the order of the report's index. */
public final class PaperRegistry {

    private final Map<String, Paper> byId;

    private PaperRegistry(Map<String, Paper> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    /** Loads every {@link PaperProvider}; two papers with one id are an error. */
    public static PaperRegistry load() {
        return of(ServiceLoader.load(PaperProvider.class).stream().map(p -> p.get().paper()).toList());
    }

    /** A registry of the given papers (tests); two with one id are an error. */
    public static PaperRegistry of(List<Paper> papers) {
        Map<String, Paper> m = new TreeMap<>();
        for (Paper p : papers) {
            Paper prev = m.put(p.id(), p);
            if (prev != null) {
                throw new IllegalStateException("paper id '" + p.id() + "' registered twice");
            }
        }
        return new PaperRegistry(m);
    }

    public List<Paper> all() { return List.copyOf(byId.values()); }

    public List<String> ids() { return List.copyOf(byId.keySet()); }

    /** The paper, or an {@link IllegalArgumentException} listing the known ids. */
    public Paper get(String id) {
        Paper p = byId.get(id);
        if (p == null) {
            throw new IllegalArgumentException("unknown paper '" + id + "'; known papers: " + String.join(", ", ids()));
        }
        return p;
    }

    /** The paper, or null. */
    public Paper find(String id) { return byId.get(id); }
}
