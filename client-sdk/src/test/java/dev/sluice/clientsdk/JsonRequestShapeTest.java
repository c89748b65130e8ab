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
            Set<String> bound = mapper.getDeserializationConfig()
                    .introspect(mapper.constructType(action.requestType())).findProperties().stream()
                    .map(BeanPropertyDefinition::getName).collect(Collectors.toSet());
            JsonRequestShape.Structure shape = (JsonRequestShape.Structure) JsonRequestShape.of(action.requestType());
            assertEquals(bound, shape.members().keySet(), action.wireName());
        }
    }
}
