package org.revbench.core.data;

/** One labelled event recording (a CIFAR10-DVS file, or one gesture cut from a DVS128 Gesture trial). */
public record EventSample(EventStream events, int label, String source) {}
