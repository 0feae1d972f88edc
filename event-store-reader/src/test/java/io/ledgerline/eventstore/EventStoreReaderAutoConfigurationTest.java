package io.ledgerline.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class EventStoreReaderAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(EventStoreReaderAutoConfiguration.class));

  @Test
  void aServiceWithADataSourceGetsAReader() {
    runner
        .withBean(DataSource.class, () -> mock(DataSource.class))
        .run(context -> assertThat(context).hasSingleBean(EventStoreReader.class));
  }

  @Test
  void aServiceWithoutADataSourceGetsNone() {
    runner.run(context -> assertThat(context).doesNotHaveBean(EventStoreReader.class));
  }

  @Test
  void aServiceThatDefinesItsOwnReaderKeepsIt() {
    EventStoreReader own = new EventStoreReader(mock(DataSource.class));
    runner
        .withBean(DataSource.class, () -> mock(DataSource.class))
        .withBean("ownReader", EventStoreReader.class, () -> own)
        .run(context -> assertThat(context).getBean(EventStoreReader.class).isSameAs(own));
  }

  @Test
  void theAutoConfigurationIsListedForSpringBootToFind() {
    List<String> listed = new ArrayList<>();
    ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
        .forEach(listed::add);

    assertThat(listed).contains(EventStoreReaderAutoConfiguration.class.getName());
  }
}
