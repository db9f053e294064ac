package dev.conveyor.auth;

/** One entry of the keys file: the SHA-256 of a key (never the key), and the caller it lets in. */
record ApiKey(byte[] sha256, Caller caller) {
}
