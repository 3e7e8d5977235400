package org.revbench.harness.protocol;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The protocols by the names spec columns use. */
public final class Protocols {

    private static final Map<String, Supplier<Protocol>> ALL = Map.of(
            "static", StaticProtocol::new,
            "invertibility", InvertibilityProtocol::new,
            "memory", MemoryProtocol::new,
            "latency", LatencyProtocol::new,
            "train", TrainProtocol::new,
            "trajectory", TrajectoryProtocol::new,
            "crosscheck", CrosscheckProtocol::new);

    private Protocols() {}

    public static Protocol get(String name) {
        Supplier<Protocol> p = ALL.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no protocol '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return p.get();
    }

    public static List<String> names() {
        return ALL.keySet().stream().sorted().toList();
    }
}
