package dev.userapi.local.template;

/** The template cannot be read or uses something the local stack cannot evaluate; the message says what. */
public final class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }
}
