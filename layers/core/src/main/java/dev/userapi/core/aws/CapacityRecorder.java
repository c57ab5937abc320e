package dev.userapi.core.aws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * <b>Measurement only, off by default.</b> When the environment variable {@value #ENV} (or the system property
 * {@value #PROPERTY}, for the in-process local stack) names a file, every DynamoDB client built by {@link AwsClients}
 * asks for {@code ReturnConsumedCapacity=INDEXES} and appends one JSON line per call to that file:
 * {@code {"operation":"GetItem","table":"...","capacityUnits":0.5,"read":0.5,"write":0,"indexes":{"GSI1":1.0}}}.
 * The benchmark's capacity run ({@code bench}: {@code CapacityRun}, docs/PERFORMANCE.md) sets it to count the capacity
 * units of each route; deployed functions never set it (template.yaml does not), so they never ask for or log it.
 */
final class CapacityRecorder implements ExecutionInterceptor {
    static final String ENV = "MEASURE_CAPACITY";
    static final String PROPERTY = "userapi.measureCapacity";

    private final Path file;

    private CapacityRecorder(Path file) {
        this.file = file;
    }

    /** The recorder when measurement is switched on, else empty. */
    static Optional<ExecutionInterceptor> fromEnvironment() {
        String target = Optional.ofNullable(System.getenv(ENV)).orElse(System.getProperty(PROPERTY));
        return target == null || target.isBlank() ? Optional.empty() : Optional.of(new CapacityRecorder(Path.of(target)));
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        ReturnConsumedCapacity indexes = ReturnConsumedCapacity.INDEXES;
        if (r instanceof GetItemRequest g) {
            return g.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (r instanceof PutItemRequest p) {
            return p.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (r instanceof UpdateItemRequest u) {
            return u.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (r instanceof DeleteItemRequest d) {
            return d.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (r instanceof QueryRequest q) {
            return q.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (r instanceof ScanRequest s) {
            return s.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (r instanceof TransactWriteItemsRequest t) {
            return t.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (r instanceof TransactGetItemsRequest t) {
            return t.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (r instanceof BatchGetItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (r instanceof BatchWriteItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(indexes).build();
        }
        return r;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String operation = String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        for (ConsumedCapacity c : consumed(context.response())) {
            append(line(operation, c));
        }
    }

    private static List<ConsumedCapacity> consumed(SdkResponse response) {
        ConsumedCapacity one = null;
        if (response instanceof GetItemResponse g) {
            one = g.consumedCapacity();
        } else if (response instanceof PutItemResponse p) {
            one = p.consumedCapacity();
        } else if (response instanceof UpdateItemResponse u) {
            one = u.consumedCapacity();
        } else if (response instanceof DeleteItemResponse d) {
            one = d.consumedCapacity();
        } else if (response instanceof QueryResponse q) {
            one = q.consumedCapacity();
        } else if (response instanceof ScanResponse s) {
            one = s.consumedCapacity();
        } else if (response instanceof TransactWriteItemsResponse t) {
            return t.consumedCapacity();
        } else if (response instanceof TransactGetItemsResponse t) {
            return t.consumedCapacity();
        } else if (response instanceof BatchGetItemResponse b) {
            return b.consumedCapacity();
        } else if (response instanceof BatchWriteItemResponse b) {
            return b.consumedCapacity();
        }
        return one == null ? List.of() : List.of(one);
    }

    static String line(String operation, ConsumedCapacity c) {
        StringBuilder s = new StringBuilder(160).append("{\"operation\":\"").append(operation)
                .append("\",\"table\":\"").append(c.tableName())
                .append("\",\"capacityUnits\":").append(number(c.capacityUnits()))
                .append(",\"read\":").append(number(c.readCapacityUnits()))
                .append(",\"write\":").append(number(c.writeCapacityUnits()))
                .append(",\"tableUnits\":").append(c.table() == null ? "0.0" : number(c.table().capacityUnits()))
                .append(",\"indexes\":{");
        boolean first = true;
        for (Map.Entry<String, Capacity> e : c.globalSecondaryIndexes().entrySet()) {
            s.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(number(e.getValue().capacityUnits()));
            first = false;
        }
        return s.append("}}\n").toString();
    }

    private static String number(Double d) {
        return d == null ? "0.0" : Double.toString(d);
    }

    private void append(String line) {
        // one write per line on an O_APPEND channel: lines from concurrent functions do not interleave
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // measurement must never break a request
        }
    }
}
