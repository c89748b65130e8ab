package dev.sluice.clientsdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JsonRequestShapeTest {

    @Test
    void everyRequestShapeChecksExactlyTheMembersJacksonBinds() {
        ObjectMapper mapper = new ObjectMapper();
        for (SqsAction action : SqsAction.values()) {
            com.fasterxml.jackson.databind.BeanDescription bean = mapper.getDeserializationConfig()
                    .introspect(mapper.constructType(action.requestType()));
            // An ignored component (a bill the server sets in-process) is listed as a creator's, but never bound.
            Set<String> bound = bean.findProperties().stream().map(BeanPropertyDefinition::getName)
                    .filter(name -> !bean.getIgnoredPropertyNames().contains(name)).collect(Collectors.toSet());
            JsonRequestShape.Structure shape = (JsonRequestShape.Structure) JsonRequestShape.of(action.requestType());
            assertEquals(bound, shape.members().keySet(), action.wireName());
        }
    }
}
