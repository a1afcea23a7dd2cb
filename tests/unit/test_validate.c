/*
 * test_validate: every class of hostile value is refused with its reason;
 * ordinary names and addresses pass.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"
#include "testhelp.h"

#define REFUSED(v, needle)                                                                         \
	do {                                                                                       \
		const char *why_ = validate_host((v), NULL);                                       \
		ck_assert_msg(why_ != NULL, "accepted: %s", (v));                                  \
		ck_assert_msg(strstr(why_, (needle)) != NULL, "reason for %s: %s", (v), why_);     \
	} while (0)

START_TEST(good_hosts)
{
	static const char *const ok[] = {
	    "pool.ntp.org",
	    "2.debian.pool.ntp.org",
	    "time.cloudflare.com",
	    "ntp.se",
	    "localhost",
	    "a",
	    "xn--bcher-kva.example",
	    "time.example.com.",
	    "169.254.169.123",
	    "2001:db8::1",
	    "::1",
	    "fd00::123",
	    "a-b.c-d.example",
	    "0.pool.ntp.org",
	};
	enum validate_addr k;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		ck_assert_msg(validate_host(ok[i], NULL) == NULL, "refused %s: %s", ok[i],
		              validate_host(ok[i], NULL));
	ck_assert_ptr_null(validate_host("192.0.2.1", &k));
	ck_assert_int_eq(k, VALIDATE_IPV4);
	ck_assert_ptr_null(validate_host("2001:db8::1", &k));
	ck_assert_int_eq(k, VALIDATE_IPV6);
	ck_assert_ptr_null(validate_host("pool.ntp.org", &k));
	ck_assert_int_eq(k, VALIDATE_NAME);
}
END_TEST

START_TEST(newline)
{
	REFUSED("pool.ntp.org\nrestrict default", "newline");
	REFUSED("\n", "newline");
	REFUSED("a.example\n", "newline");
}
END_TEST

START_TEST(carriage_return)
{
	REFUSED("pool.ntp.org\rallow all", "carriage return");
}
END_TEST

START_TEST(space_options)
{
	REFUSED("pool.ntp.org noselect", "whitespace");
	REFUSED("pool.ntp.org minpoll -7", "whitespace");
	REFUSED("pool.ntp.org\tprefer", "whitespace");
}
END_TEST

START_TEST(comment_chars)
{
	REFUSED("pool.ntp.org#x", "comment");
	REFUSED("pool.ntp.org;x", "comment");
	REFUSED("!pool.ntp.org", "comment");
	REFUSED("pool.ntp.org%x", "comment");
}
END_TEST

/* issue 15: addresses no server can be, a URL, and the scoped link-local
 * address chrony and ntpd take */
START_TEST(special_addresses)
{
	enum validate_addr k = VALIDATE_NAME;

	REFUSED("0.0.0.0", "unspecified");
	REFUSED("::", "unspecified");
	REFUSED("224.0.1.1", "multicast");
	REFUSED("239.255.255.250", "multicast");
	REFUSED("ff02::101", "multicast");
	REFUSED("255.255.255.255", "broadcast");
	REFUSED("http://time.example.com", "is a URL");
	REFUSED("https://time.example.com/", "is a URL");
	REFUSED("2001:db8::1%eth0", "link-local");
	REFUSED("fe80::1%", "interface name that is not one");
	REFUSED("fe80::1%eth0#x", "comment");
	REFUSED("fe80::1%eth0 prefer", "treat specially");
	REFUSED("fe80::1%0123456789abcdef", "interface name that is not one");
	ck_assert_ptr_null(validate_host("fe80::1%eth0", &k));
	ck_assert_int_eq(k, VALIDATE_IPV6);
	ck_assert_ptr_null(validate_host("fe80::1234:5678%enp0s31f6", NULL));
	ck_assert_ptr_null(validate_host("223.255.255.1", NULL));
}
END_TEST

START_TEST(quotes)
{
	REFUSED("\"pool.ntp.org\"", "quote");
	REFUSED("pool'ntp", "quote");
}
END_TEST

START_TEST(brackets)
{
	REFUSED("[2001:db8::1]", "bracket");
	REFUSED("[::1]", "without [ ]");
}
END_TEST

START_TEST(backslash_equals)
{
	REFUSED("pool.ntp.org\\", "backslash");
	REFUSED("NTP=evil", "'='");
}
END_TEST

START_TEST(leading_dash)
{
	REFUSED("-4", "starts with '-'");
	REFUSED("-pool.ntp.org", "starts with '-'");
}
END_TEST

START_TEST(control_and_nonascii)
{
	REFUSED("pool\x01.ntp.org", "control character");
	REFUSED("pool\x7f.ntp.org", "control character");
	REFUSED("b\xc3\xbc"
	        "cher.example",
	        "non-ASCII");
}
END_TEST

START_TEST(long_labels)
{
	char label[70], name[300];

	memset(label, 'a', 64);
	label[64] = '\0';
	strcpy(name, label);
	strcat(name, ".example");
	REFUSED(name, "longer than 63");
	label[63] = '\0'; /* exactly 63 is fine */
	strcpy(name, label);
	strcat(name, ".example");
	ck_assert_ptr_null(validate_host(name, NULL));

	memset(name, 0, sizeof(name));
	for (int i = 0; i < 4; i++) {
		strcat(name, label);
		strcat(name, ".");
	}
	REFUSED(name, "longer than 253");
}
END_TEST

START_TEST(bad_names)
{
	REFUSED("", "empty");
	REFUSED("a..b", "empty label");
	REFUSED(".example", "empty label");
	REFUSED("a-.example", "starts or ends with '-'");
	REFUSED("under_score.example", "not a valid host name");
	REFUSED("a/b", "not a valid host name");
	REFUSED("1.2.3.999", "IPv4");
	REFUSED("1.2.3", "IPv4");
	REFUSED("2001:db8::g", "IPv6");
	REFUSED(":::", "IPv6");
}
END_TEST

START_TEST(cidr)
{
	char canon[64];

	ck_assert_ptr_null(validate_cidr("192.168.0.0/16", canon, sizeof(canon)));
	ck_assert_str_eq(canon, "192.168.0.0/16");
	ck_assert_ptr_null(validate_cidr("fd00:0:0::/8", canon, sizeof(canon)));
	ck_assert_str_eq(canon, "fd00::/8");
	ck_assert_ptr_null(validate_cidr("10.1.2.3", canon, sizeof(canon)));
	ck_assert_str_eq(canon, "10.1.2.3/32");
	ck_assert_ptr_null(validate_cidr("0.0.0.0/0", canon, sizeof(canon)));

	ck_assert_ptr_nonnull(strstr(validate_cidr("192.168.1.5/24", NULL, 0), "bits set"));
	ck_assert_ptr_nonnull(strstr(validate_cidr("10.0.0.0/33", NULL, 0), "0-32"));
	ck_assert_ptr_nonnull(strstr(validate_cidr("fd00::/129", NULL, 0), "0-128"));
	ck_assert_ptr_nonnull(strstr(validate_cidr("10.0.0.0/", NULL, 0), "not a number"));
	ck_assert_ptr_nonnull(strstr(validate_cidr("10.0.0.0/8x", NULL, 0), "not a number"));
	ck_assert_ptr_nonnull(strstr(validate_cidr("10.0.0.0/-1", NULL, 0), "not a number"));
	ck_assert_ptr_nonnull(strstr(validate_cidr("300.0.0.0/8", NULL, 0), "IPv4"));
	ck_assert_ptr_nonnull(strstr(validate_cidr("lan/8", NULL, 0), "IPv4"));
	ck_assert_ptr_nonnull(strstr(validate_cidr("10.0.0.0/8\nallow all", NULL, 0), "newline"));
	ck_assert_ptr_nonnull(strstr(validate_cidr("10.0.0.0/8 all", NULL, 0), "whitespace"));
	ck_assert_ptr_nonnull(strstr(validate_cidr("", NULL, 0), "empty"));
}
END_TEST

START_TEST(paths)
{
	ck_assert_ptr_null(validate_path("/var/lib/chrony/chrony.drift"));
	ck_assert_ptr_nonnull(strstr(validate_path("var/lib/x"), "absolute"));
	ck_assert_ptr_nonnull(strstr(validate_path("/var/lib/../../etc/shadow"), ".."));
	ck_assert_ptr_nonnull(strstr(validate_path("/var/lib/x\nallow all"), "newline"));
	ck_assert_ptr_nonnull(strstr(validate_path("/var/lib/my drift"), "whitespace"));
	ck_assert_ptr_nonnull(strstr(validate_path("/var/lib/x#y"), "comment"));
	ck_assert_ptr_nonnull(strstr(validate_path("/var/lib/$HOME"), "character other"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, good_hosts);
	tcase_add_test(tc, newline);
	tcase_add_test(tc, carriage_return);
	tcase_add_test(tc, space_options);
	tcase_add_test(tc, comment_chars);
	tcase_add_test(tc, special_addresses);
	tcase_add_test(tc, quotes);
	tcase_add_test(tc, brackets);
	tcase_add_test(tc, backslash_equals);
	tcase_add_test(tc, leading_dash);
	tcase_add_test(tc, control_and_nonascii);
	tcase_add_test(tc, long_labels);
	tcase_add_test(tc, bad_names);
	tcase_add_test(tc, cidr);
	tcase_add_test(tc, paths);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testhelp_run(suite());
}
