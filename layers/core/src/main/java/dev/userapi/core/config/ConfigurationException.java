package dev.userapi.core.config;

/** The function cannot start because its configuration is missing or wrong. */
public final class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }
}
