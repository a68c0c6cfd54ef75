package org.arvados.tasksasjobs.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.arvados.tasksasjobs.gateway.tasks.GatewayException;
import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void decodesPercentEscapesPlusAndUtf8() throws Exception {
        assertEquals(Map.of("filters", "[[\"a\",\"=\",\"é b\"]]", "order", "x y"),
                QueryString.decode("filters=%5B%5B%22a%22%2C%22%3D%22%2C%22%C3%A9+b%22%5D%5D&order=x%20y"));
    }

    @Test
    void lastValueWinsAndEmptyPartsAreSkipped() throws Exception {
        assertEquals(Map.of("limit", "2", "count", ""), QueryString.decode("limit=1&&limit=2&count"));
        assertEquals(Map.of(), QueryString.decode(null));
        assertEquals(Map.of(), QueryString.decode(""));
    }

    @Test
    void rawNonAsciiIsKept() throws Exception {
        assertEquals(Map.of("q", "ä😀"), QueryString.decode("q=ä😀"));
    }

    @Test
    void badEscapeOrBadUtf8IsUnprocessable() {
        for (String raw : new String[] {"a=%", "a=%4", "a=%zz", "a=%C3", "a=%FF"}) {
            GatewayException e = assertThrows(GatewayException.class, () -> QueryString.decode(raw), raw);
            assertEquals(422, e.status());
        }
    }
}
