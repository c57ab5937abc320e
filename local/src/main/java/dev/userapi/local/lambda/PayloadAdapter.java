package dev.userapi.local.lambda;

/**
 * Translates what an emulated caller sends to a function, and what the function answers, when the
 * emulator speaks an older event version than AWS would use (cognito-local sends V1 Cognito trigger
 * events; a pool configured for V2 events sends V2 on AWS).
 */
public interface PayloadAdapter {
    byte[] request(byte[] payload);

    byte[] response(byte[] payload);
}
