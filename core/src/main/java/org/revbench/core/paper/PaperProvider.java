package org.revbench.core.paper;

/**
 * Service interface through which a models module registers its paper (found with {@link java.util.ServiceLoader},
 * as {@link org.revbench.core.model.ModelProvider} finds its models): list the implementation in
 * {@code META-INF/services/org.revbench.core.paper.PaperProvider}.
 */
public interface PaperProvider {

    Paper paper();
}
