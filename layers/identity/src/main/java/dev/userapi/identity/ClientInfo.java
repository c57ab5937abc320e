package dev.userapi.identity;

/** Where a sign-in came from, for the session list: API Gateway's source IP and the User-Agent. */
public record ClientInfo(String sourceIp, String userAgent) {
}
