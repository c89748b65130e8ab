package dev.sluice.broker.sdk;

import dev.sluice.clientsdk.QueueClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Passes every call on to a real {@link QueueClient} and records it (method name and request), so a
 * test can count the requests an SDK component made and see what they said. Not a stand-in: the
 * real client and server do all the work.
 */
final class RecordingQueueClient {

    record Call(String method, Object request) {
    }

    final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    final QueueClient client;

    RecordingQueueClient(QueueClient delegate) {
        client = (QueueClient) Proxy.newProxyInstance(QueueClient.class.getClassLoader(), new Class<?>[] {QueueClient.class},
                (proxy, method, arguments) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(delegate, arguments);
                    }
                    calls.add(new Call(method.getName(), arguments[0]));
                    try {
                        return method.invoke(delegate, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    long count(String method) {
        return calls.stream().filter(call -> call.method().equals(method)).count();
    }

    @SuppressWarnings("unchecked")
    <T> List<T> requests(String method) {
        return calls.stream().filter(call -> call.method().equals(method)).map(call -> (T) call.request()).toList();
    }
}
