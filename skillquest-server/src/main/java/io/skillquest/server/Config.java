package io.skillquest.server;

/** Server configuration from environment variables (SPEC 7). Skeleton: the platform engineer completes it. */
public record Config(int port) {
}
