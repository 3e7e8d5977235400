package org.revbench.harness.gate;

/** Which way a metric gets better: a change the other way is what a rule may call a regression. */
public enum Direction {
    /** Memory, time, error: a rise is bad. */
    LOWER_IS_BETTER("lower"),
    /** Accuracy: a fall is bad. */
    HIGHER_IS_BETTER("higher");

    private final String yamlName;

    Direction(String yamlName) { this.yamlName = yamlName; }

    /** How the rules file spells it ({@code direction: lower}). */
    public String yamlName() { return yamlName; }

    /** The change from {@code before} to {@code after}, signed so that a positive result is a change for the worse. */
    public double worsening(double before, double after) {
        double delta = after - before;
        return this == LOWER_IS_BETTER ? delta : -delta;
    }

    /** The direction the rules file names, or null for an unknown name. */
    static Direction fromYaml(String name) {
        for (Direction d : values()) {
            if (d.yamlName.equals(name)) {
                return d;
            }
        }
        return null;
    }
}
