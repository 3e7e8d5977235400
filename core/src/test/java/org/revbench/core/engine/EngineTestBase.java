package org.revbench.core.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Starts the engine once per test class and gives it a manager that is closed afterwards. */
public abstract class EngineTestBase {

    protected static NDManager manager;

    @BeforeAll
    static void startEngine() { manager = Engines.newManager(Device.cpu()); }

    @AfterAll
    static void closeManager() { manager.close(); }
}
