package io.ledgerline.eventstore.personaldata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class PersonalDataAutoConfigurationTest {

  // Never connected: the beans only hold it.
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(PersonalDataAutoConfiguration.class))
          .withBean(
              DataSource.class,
              () -> new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/never"));

  @Test
  void aServiceWithADataSourceOpensPersonalDataWithUnwrappedKeysByDefault() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(PersonalData.class);
          assertThat(context).getBean(OwnerKeyStore.class).isInstanceOf(CachingOwnerKeyStore.class);
          assertThat(context.getBean(KeyEncryption.class).name()).isEqualTo("none");
        });
  }

  @Test
  void aMasterKeyWrapsKeys() {
    String masterKey = Base64.getEncoder().encodeToString(new byte[32]);
    runner
        .withPropertyValues("ledgerline.personal-data.master-key=" + masterKey)
        .run(
            context ->
                assertThat(context.getBean(KeyEncryption.class))
                    .isInstanceOf(MasterKeyEncryption.class));
  }

  @Test
  void aMasterKeyThatIsNot32BytesStopsTheServiceWithoutShowingIt() {
    runner
        .withPropertyValues("ledgerline.personal-data.master-key=c2hvcnQ=")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("32 bytes")
                    .hasMessageNotContaining("c2hvcnQ="));
  }

  @Test
  void keysCannotBeRememberedLongerThanFiveSeconds() {
    runner
        .withPropertyValues("ledgerline.personal-data.key-cache-ttl=PT6S")
        .run(context -> assertThat(context).hasFailed());
    runner
        .withPropertyValues("ledgerline.personal-data.key-cache-ttl=PT0S")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void aServiceThatBringsItsOwnKeyEncryptionKeepsIt() {
    KeyEncryption kms = new MasterKeyEncryption(new byte[32]);
    runner
        .withBean("kms", KeyEncryption.class, () -> kms)
        .run(context -> assertThat(context).getBean(KeyEncryption.class).isSameAs(kms));
  }

  @Test
  void aServiceWithoutADataSourceGetsNone() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PersonalDataAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(PersonalData.class));
  }

  @Test
  void theAutoConfigurationIsListedForSpringBootToFind() {
    List<String> listed = new ArrayList<>();
    ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
        .forEach(listed::add);

    assertThat(listed).contains(PersonalDataAutoConfiguration.class.getName());
  }
}
