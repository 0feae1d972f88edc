package io.ledgerline.eventstore.personaldata;

import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Owners' keys on the service's data source, read through a short-lived cache, and the {@link
 * PersonalData} that opens sealed fields with them. A service that defines its own {@link
 * KeyEncryption} (a KMS), {@link OwnerKeyStore} or {@link PersonalData} keeps it.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(PersonalDataProperties.class)
public class PersonalDataAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  KeyEncryption keyEncryption(PersonalDataProperties properties) {
    return properties
        .masterKeyBytes()
        .<KeyEncryption>map(MasterKeyEncryption::new)
        .orElseGet(KeyEncryption::none);
  }

  @Bean
  @ConditionalOnMissingBean
  OwnerKeyStore ownerKeyStore(
      DataSource dataSource, KeyEncryption encryption, PersonalDataProperties properties) {
    return new CachingOwnerKeyStore(
        new JdbcOwnerKeyStore(dataSource, encryption),
        properties.keyCacheTtl(),
        properties.keyCacheSize());
  }

  @Bean
  @ConditionalOnMissingBean
  PersonalData personalData(OwnerKeyStore keys) {
    return new PersonalData(keys);
  }
}
