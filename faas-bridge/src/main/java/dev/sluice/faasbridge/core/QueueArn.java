package dev.sluice.faasbridge.core;

import dev.sluice.clientsdk.LambdaError;
import dev.sluice.clientsdk.QueueUrl;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An SQS queue ARN, {@code arn:aws:sqs:{region}:{accountId}:{queueName}}: a mapping's event source. */
public record QueueArn(String region, String accountId, String queueName) {
    private static final Pattern SHAPE = Pattern.compile("arn:aws:sqs:([a-z0-9-]{1,64}):([A-Za-z0-9_-]{1,64}):([A-Za-z0-9_.-]{1,80})");

    /** Parses an ARN; a malformed one is an {@link LambdaError#INVALID_PARAMETER_VALUE}. */
    public static QueueArn parse(String arn) {
        Matcher matcher = arn == null ? null : SHAPE.matcher(arn);
        if (matcher == null || !matcher.matches()) {
            throw FunctionDefinition.invalid("EventSourceArn must be an SQS queue ARN, arn:aws:sqs:{region}:{account}:{queue}; got "
                    + FunctionDefinition.quoted(arn));
        }
        return new QueueArn(matcher.group(1), matcher.group(2), matcher.group(3));
    }

    /** SQS requires the {@code .fifo} suffix on exactly the FIFO queues. */
    public boolean isFifo() {
        return queueName.endsWith(".fifo");
    }

    public QueueUrl queueUrl() {
        return new QueueUrl(accountId, queueName);
    }

    @Override
    public String toString() {
        return "arn:aws:sqs:" + region + ":" + accountId + ":" + queueName;
    }
}
