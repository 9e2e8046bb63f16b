package io.plainroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.plainroute.api.BadInputTable.Outcome;
import io.plainroute.api.BadInputTable.Row;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/bad-input.md and the tests that check it stay in step: every row names a test that exists,
 * every scenario has its row, and every schema row is something BadInputMatrixIT can send.
 */
class BadInputTableTest {
  private static final List<Row> ROWS = BadInputTable.rows();

  @Test
  void theTableHasRowsWithUniqueIds() {
    assertThat(ROWS).hasSizeGreaterThan(50);
    assertThat(ROWS.stream().map(Row::id)).doesNotHaveDuplicates();
  }

  @Test
  void everyRefusedRowPromisesAMessageNamingTheField() {
    assertThat(ROWS).filteredOn(row -> row.outcome() == Outcome.REFUSED)
        .allSatisfy(row -> assertThat(row.messagePart()).as(row.id()).hasValueSatisfying(m -> assertThat(m).containsPattern("spec\\.|status\\.|SubnetClaim")));
  }

  @Test
  void everySchemaRowIsJsonForAKnownObjectAndTheApiServerCanOnlyRefuseOrAcceptIt() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (Row row : ROWS.stream().filter(r -> r.test().equals("schema")).toList()) {
      assertThat(row.id()).as("its prefix names the object").matches("(cn|nn|sc)-.*");
      assertThat(row.outcome()).as(row.id()).isIn(Outcome.REFUSED, Outcome.ACCEPTED);
      assertThat(row.patches()).as(row.id()).hasSizeBetween(1, 2);
      for (String patch : row.patches()) {
        assertThat(json.readTree(patch).isObject()).as("%s: %s", row.id(), patch).isTrue();
      }
    }
  }

  @Test
  void everyScenarioRowHasItsScenarioAndEveryScenarioItsRow() throws Exception {
    assertThat(scenarios("io.plainroute.api.BadInputMatrixIT")).isEqualTo(ids("api"));
    assertThat(scenarios("io.plainroute.controller.BadInputScenariosIT")).isEqualTo(ids("controller"));
  }

  @Test
  void everyRowCoveredElsewhereNamesATestThatExists() throws Exception {
    for (Row row : ROWS.stream().filter(r -> r.test().contains("#")).toList()) {
      String[] target = row.test().split("#");
      Class<?> test = Class.forName("io.plainroute." + target[0]);
      assertThat(Arrays.stream(test.getDeclaredMethods()).map(m -> m.getName())).as(row.id()).contains(target[1]);
    }
    assertThat(ROWS).allSatisfy(row -> assertThat(row.test()).as(row.id()).matches("schema|api|controller|[a-z]+\\.[A-Za-z0-9]+#[A-Za-z0-9]+"));
  }

  private static Set<String> ids(String test) {
    return ROWS.stream().filter(r -> r.test().equals(test)).map(Row::id).collect(Collectors.toSet());
  }

  private static Set<String> scenarios(String className) throws Exception {
    Field field = Class.forName(className).getDeclaredField("SCENARIOS");
    field.setAccessible(true);
    return ((Map<?, ?>) field.get(null)).keySet().stream().map(Object::toString).collect(Collectors.toSet());
  }
}
