/**
 * The paper registry: each models module declares its paper ({@link org.revbench.core.paper.Paper}: id, name,
 * title, the specs and reference file it ships) through {@link java.util.ServiceLoader}. Core holds only the
 * interface; the papers themselves live in their modules.
 */
package org.revbench.core.paper;
