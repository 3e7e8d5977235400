package org.revbench.core.data;

/** Which part of a dataset. */
public enum Split { TRAIN, TEST }
