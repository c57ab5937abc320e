package dev.userapi.local.testing;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * SDK clients pointed at the running stack's DynamoDB Local and Cognito, for checking afterwards
 * what the API wrote (tests act through HTTP; these only look).
 */
public final class StackClients {
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private StackClients() {
    }

    public static DynamoDbClient dynamoDb() {
        return dynamoDb(TestStack.get());
    }

    /** DynamoDB Local of {@code stack} itself (never through a fault proxy). */
    public static DynamoDbClient dynamoDb(dev.userapi.local.DevStack stack) {
        return DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(stack.dynamoDbEndpoint())).build();
    }

    public static CognitoIdentityProviderClient cognito() {
        return cognito(TestStack.get());
    }

    /** The Cognito layer of {@code stack} itself (never through a fault proxy). */
    public static CognitoIdentityProviderClient cognito(dev.userapi.local.DevStack stack) {
        return CognitoIdentityProviderClient.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(stack.cognitoCompatEndpoint())).build();
    }

    public static String table() {
        return TestStack.get().tableName();
    }

    public static String pool() {
        return TestStack.get().userPoolId();
    }
}
