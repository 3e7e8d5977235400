package org.revbench.core.data.image;

/**
 * Which of the two labels in a CIFAR-100 record becomes the class: the 100 fine classes (the usual benchmark),
 * or the 20 coarse superclasses.
 */
public enum Cifar100Labels {
    /** First label byte of a record: 20 superclasses. */
    COARSE(0, 20),
    /** Second label byte of a record: 100 classes. */
    FINE(1, 100);

    private final int byteIndex;
    private final int classes;

    Cifar100Labels(int byteIndex, int classes) {
        this.byteIndex = byteIndex;
        this.classes = classes;
    }

    /** Position of this label within a record (0 coarse, 1 fine). */
    public int byteIndex() { return byteIndex; }

    public int classes() { return classes; }
}
