package io.roomgate.command.webhook;

import io.roomgate.edge.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 10: a webhook cannot be aimed at internal services. Literal addresses only: no DNS needed. */
class WebhookUrlsTest {

    private final WebhookUrls production = new WebhookUrls(false, false);

    @ParameterizedTest
    @ValueSource(strings = {
            "https://127.0.0.1/h", "https://127.0.0.2:8443/h", "https://localhost/h",
            "https://[::1]/h", "https://[0:0:0:0:0:0:0:1]/h", "https://[::ffff:127.0.0.1]/h", "https://[::ffff:7f00:1]/h",
            "https://0.0.0.0/h", "https://[::]/h", "https://0.1.2.3/h",
            "https://10.1.2.3/h", "https://172.16.0.1/h", "https://172.31.255.255/h", "https://192.168.1.1/h",
            "https://[::ffff:10.0.0.1]/h", "https://100.64.0.1/h",
            "https://169.254.169.254/latest/meta-data", "https://[::ffff:169.254.169.254]/h", "https://[fe80::1]/h",
            "https://[fd00:ec2::254]/h", "https://[fc00::1]/h", "https://[fec0::1]/h",
            "https://224.0.0.1/h", "https://[ff02::1]/h", "https://255.255.255.255/h", "https://240.0.0.1/h",
            "https://198.18.0.1/h", "https://192.0.0.1/h",
            "https://[::127.0.0.1]/h", "https://[64:ff9b::7f00:1]/h", "https://[64:ff9b::a00:1]/h",
            "https://[64:ff9b:1::1]/h", "https://[2002:7f00:1::]/h", "https://[2002:a9fe:a9fe::1]/h",
            // issue 16, row 10
            "https://[::ffff:0:7f00:1]/h", "https://[::ffff:0:127.0.0.1]/h", "https://[::ffff:0:a9fe:a9fe]/h",
            "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/h", "https://[2001::1]/h", "https://[2001:db8::1]/h",
            "https://192.0.2.1/h", "https://198.51.100.7/h", "https://203.0.113.200/h",
    })
    void loopback_private_link_local_and_reserved_addresses_are_refused(String url) {
        assertThatThrownBy(() -> production.validate(url)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("url points at a loopback, private or link-local address");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.216.34/h", "https://[2606:4700::1111]/h", "https://[64:ff9b::5db8:d822]/h",
            "https://[2002:5db8:d822::1]/h", "HTTPS://93.184.216.34:8443/h?x=1",
            "https://[2606:4700::1111]:65535/h"})
    void public_addresses_are_accepted(String url) {
        assertThat(production.validate(url)).hasToString(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://93.184.216.34/h", "ftp://93.184.216.34/h", "//93.184.216.34/h", "93.184.216.34"})
    void only_https_in_production(String url) {
        assertThatThrownBy(() -> production.validate(url)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).isEqualTo("url must use https"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user:secret@93.184.216.34/h", "https://93.184.216.34@127.0.0.1/h", "https:/h",
            "https://127.1/h", "https://0x7f.1/h"})
    void a_url_must_name_a_host_and_carry_no_credentials(String url) {
        assertThatThrownBy(() -> production.validate(url)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).isEqualTo("url must name a host and carry no credentials"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.216.34:0/h", "https://93.184.216.34:65536/h", "https://93.184.216.34:99999/h"})
    void ports_outside_1_to_65535_are_refused(String url) {
        assertThatThrownBy(() -> production.validate(url)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://0177.0.0.1/h", "https://0127.0.0.1/h", "https://93.184.216.034/h", "https://2130706433/h",
            "https://1.2.3/h", "https://1.2.3.4.5/h", "https://0x7f000001/h"})
    void ipv4_literals_other_than_four_plain_decimal_numbers_are_refused(String url) {
        assertThatThrownBy(() -> production.validate(url)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void a_refusal_does_not_repeat_the_url() {
        assertThatThrownBy(() -> production.validate("https://user:hunter2@127.0.0.1/h?token=abc"))
                .hasMessageNotContainingAny("hunter2", "abc");
        assertThatThrownBy(() -> production.validate("http://127.0.0.1/h?token=abc")).hasMessageNotContaining("abc");
    }

    @Test
    void development_can_allow_http_and_private_addresses_each_on_its_own() {
        assertThat(new WebhookUrls(true, true).validate("http://127.0.0.1:8080/h")).hasToString("http://127.0.0.1:8080/h");
        assertThatThrownBy(() -> new WebhookUrls(true, false).validate("http://127.0.0.1:8080/h"))
                .hasMessage("url points at a loopback, private or link-local address");
        assertThatThrownBy(() -> new WebhookUrls(false, true).validate("http://127.0.0.1:8080/h")).hasMessage("url must use https");
        assertThat(new WebhookUrls(false, true).validate("https://[::1]:8443/h")).hasToString("https://[::1]:8443/h");
    }
}
