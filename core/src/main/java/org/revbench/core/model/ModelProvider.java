package org.revbench.core.model;

import java.util.List;

/**
 * Service interface through which a models module registers its models (found with {@link java.util.ServiceLoader},
 * the way DJL finds engines): list the implementation in
 * {@code META-INF/services/org.revbench.core.model.ModelProvider}.
 */
public interface ModelProvider {

    List<ModelDefinition> models();
}
