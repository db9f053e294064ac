package dev.conveyor.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Declares the test Redis once for the whole suite (a global test resource). */
@QuarkusTestResource(RedisTestResource.class)
public class RedisForTests {
}
