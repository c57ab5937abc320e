package dev.userapi.core.problem;

/** 404: no user with that id. */
public class UserNotFoundException extends NotFoundException {
    public UserNotFoundException() {
        super("The user does not exist.");
    }
}
