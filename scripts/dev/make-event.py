#!/usr/bin/env python3
"""Writes a realistic API Gateway REST proxy event (the shape sam local invoke and Lambda use).

usage: make-event.py <out.json> <METHOD> <resource> [--path /users/abc] [--body JSON] [--auth sub,roles] [--query k=v ...]
Tooling only (generates the files under events/, which are committed and reviewed).
"""
import json, sys, argparse, uuid
p = argparse.ArgumentParser()
p.add_argument("out"); p.add_argument("method"); p.add_argument("resource")
p.add_argument("--path"); p.add_argument("--body"); p.add_argument("--auth"); p.add_argument("--query", nargs="*", default=[])
p.add_argument("--params", nargs="*", default=[]); p.add_argument("--header", nargs="*", default=[])
a = p.parse_args()
path = a.path or a.resource
headers = {"Accept": "application/json", "Host": "abc123defg.execute-api.us-east-1.amazonaws.com",
           "Origin": "http://localhost:3000", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36",
           "X-Amzn-Trace-Id": "Root=1-67891233-abcdef012345678912345678", "X-Forwarded-For": "203.0.113.7",
           "X-Forwarded-Port": "443", "X-Forwarded-Proto": "https"}
if a.body is not None:
    headers["Content-Type"] = "application/json"
if a.auth:
    headers["Authorization"] = "Bearer eyJraWQiOiJleGFtcGxlIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJleGFtcGxlIn0.c2lnbmF0dXJl"
for h in a.header:
    k, v = h.split("=", 1); headers[k] = v
query = dict(q.split("=", 1) for q in a.query) or None
params = dict(q.split("=", 1) for q in a.params) or None
ctx = {"accountId": "123456789012", "apiId": "abc123defg", "resourceId": "a1b2c3", "stage": "dev",
       "requestId": str(uuid.uuid5(uuid.NAMESPACE_URL, a.out)), "extendedRequestId": "ExAmPlE=",
       "identity": {"sourceIp": "203.0.113.7", "userAgent": headers["User-Agent"]},
       "resourcePath": a.resource, "httpMethod": a.method, "path": "/dev" + path, "protocol": "HTTP/1.1",
       "requestTime": "22/Nov/2026:09:15:00 +0000", "requestTimeEpoch": 1795338900000,
       "domainName": headers["Host"]}
if a.auth:
    sub, roles = a.auth.split(",", 1) if "," in a.auth else (a.auth, "user")
    ctx["authorizer"] = {"principalId": sub, "sub": sub, "username": sub, "roles": roles.replace(";", ","), "integrationLatency": 42}
event = {"resource": a.resource, "path": path, "httpMethod": a.method, "headers": headers,
         "multiValueHeaders": {k: [v] for k, v in headers.items()}, "queryStringParameters": query,
         "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
         "pathParameters": params, "stageVariables": None, "requestContext": ctx,
         "body": a.body, "isBase64Encoded": False}
with open(a.out, "w") as f:
    json.dump(event, f, indent=2); f.write("\n")
