package dev.userapi.core.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/** The measurement-only interceptor: asks DynamoDB for capacity, and is off unless MEASURE_CAPACITY names a file. */
class CapacityRecorderTest {
    private static SdkRequest modified(SdkRequest request) {
        Context.ModifyRequest context = () -> request;
        return ((CapacityRecorder) CapacityRecorder.fromEnvironment().orElseGet(() -> {
            System.setProperty(CapacityRecorder.PROPERTY, "/dev/null");
            try {
                return CapacityRecorder.fromEnvironment().orElseThrow();
            } finally {
                System.clearProperty(CapacityRecorder.PROPERTY);
            }
        })).modifyRequest(context, new ExecutionAttributes());
    }

    @Test
    void offByDefault() {
        assertThat(System.getenv(CapacityRecorder.ENV)).isNull();
        assertThat(System.getProperty(CapacityRecorder.PROPERTY)).isNull();
        assertThat(CapacityRecorder.fromEnvironment()).isEmpty();
    }

    @Test
    void asksForCapacityWithIndexes_onReadsWritesAndTransactions() {
        assertThat(((GetItemRequest) modified(GetItemRequest.builder().tableName("t").build())).returnConsumedCapacity())
                .isEqualTo(ReturnConsumedCapacity.INDEXES);
        assertThat(((QueryRequest) modified(QueryRequest.builder().tableName("t").build())).returnConsumedCapacity())
                .isEqualTo(ReturnConsumedCapacity.INDEXES);
        assertThat(((TransactWriteItemsRequest) modified(TransactWriteItemsRequest.builder().build())).returnConsumedCapacity())
                .isEqualTo(ReturnConsumedCapacity.INDEXES);
    }

    @Test
    void oneJsonLinePerConsumedCapacity() {
        String line = CapacityRecorder.line("PutItem", ConsumedCapacity.builder().tableName("users").capacityUnits(2.0)
                .table(Capacity.builder().capacityUnits(1.0).build())
                .globalSecondaryIndexes(Map.of("ByEmail", Capacity.builder().capacityUnits(1.0).build())).build());
        assertThat(line).isEqualTo("{\"operation\":\"PutItem\",\"table\":\"users\",\"capacityUnits\":2.0,\"read\":0.0,\"write\":0.0,"
                + "\"tableUnits\":1.0,\"indexes\":{\"ByEmail\":1.0}}\n");
    }
}
