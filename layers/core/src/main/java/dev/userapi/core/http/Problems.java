package dev.userapi.core.http;

import dev.userapi.core.problem.ApiException;
import dev.userapi.core.problem.ErrorCode;
import dev.userapi.core.problem.TooManyRequestsException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The single place where a domain exception becomes an RFC 9457 problem+json answer. */
public final class Problems {
    private Problems() {
    }

    public static ApiResponse from(ApiException e, String requestId) {
        ApiResponse response = build(e.code(), e.status(), e.detail(), requestId);
        if (e instanceof TooManyRequestsException tooMany) {
            response.header("Retry-After", Integer.toString(tooMany.retryAfterSeconds()));
        }
        return response;
    }

    public static ApiResponse internal(String requestId) {
        return build(ErrorCode.InternalError, ErrorCode.InternalError.status(),
                "Something went wrong on our side; the request id identifies it in our logs.", requestId);
    }

    public static ApiResponse build(ErrorCode code, int status, String detail, String requestId) {
        return ApiResponse.problem(status, dev.userapi.core.json.Json.write(body(code, status, detail, requestId)));
    }

    public static Map<String, Object> body(ErrorCode code, int status, String detail, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", code.type());
        body.put("title", code.title());
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code.name());
        body.put("requestId", requestId);
        return body;
    }
}
