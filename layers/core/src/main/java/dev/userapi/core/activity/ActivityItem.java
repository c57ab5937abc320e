package dev.userapi.core.activity;

import java.time.Instant;

/**
 * One line of an account's security activity: when, what, and from where (the request's source IP and User-Agent,
 * either absent when the event has no request of the user's behind it).
 */
public record ActivityItem(Instant at, ActivityEvent event, String sourceIp, String userAgent) {
}
