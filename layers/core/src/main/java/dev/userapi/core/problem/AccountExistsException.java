package dev.userapi.core.problem;

/** 409: an account with that e-mail exists already. Public routes turn it into their uniform answer. */
public class AccountExistsException extends ConflictException {
    public AccountExistsException() {
        super("An account with this e-mail exists already.");
    }
}
