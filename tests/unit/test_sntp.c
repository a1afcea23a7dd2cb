/*
 * test_sntp: the NTP packet byte for byte, timestamp arithmetic across eras
 * (2036-02-07, 1968, 1900), offsets of either sign, Kiss-o'-Death codes,
 * replies that must be dropped; then the whole probe loop on loopback
 * against a small responder this test forks (127.0.0.1 only, bounded
 * lifetime, killed by PID).
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errlist.h"
#include "sntp.h"
#include "testhelp.h"

/* 2036-02-07T06:28:16Z: NTP era 1 starts (NTP seconds wrap to 0). */
#define ERA1_UNIX 2085978496LL
#define NTP(sec, frac) (((uint64_t)(uint32_t)(sec) << 32) | (uint32_t)(frac))

static uint64_t secs_ntp(double unix_seconds)
{
	struct timespec ts;
	double whole = floor(unix_seconds);

	ts.tv_sec = (time_t)whole;
	ts.tv_nsec = (long)llround((unix_seconds - whole) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return sntp_time_to_ntp(&ts);
}

/* ---- packets ---------------------------------------------------------- */

START_TEST(test_encode_request_bytes)
{
	struct sntp_packet p = {.version = 4, .mode = 3, .transmit = 0x0123456789abcdefULL};
	uint8_t out[SNTP_PACKET_LEN];
	uint8_t want[SNTP_PACKET_LEN] = {0x23};

	memcpy(want + 40, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
	memset(out, 0xaa, sizeof(out));
	sntp_encode(&p, out);
	ck_assert_mem_eq(out, want, SNTP_PACKET_LEN);
}
END_TEST

/* A stratum-2 reply as chronyd sends it, written out field by field. */
static const uint8_t reply_bytes[SNTP_PACKET_LEN] = {
    0x64, 0x02, 0x06, 0xe9,                         /* LI 1, VN 4, mode 4; st 2; poll 6; prec -23 */
    0x00, 0x01, 0x80, 0x00,                         /* root delay 1.5 s */
    0x00, 0x00, 0x40, 0x00,                         /* root dispersion 0.25 s */
    0xc0, 0x00, 0x02, 0x01,                         /* refid 192.0.2.1 */
    0xec, 0x0e, 0x1a, 0x00, 0x00, 0x00, 0x00, 0x00, /* reference */
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, /* origin */
    0xec, 0x0e, 0x1a, 0x10, 0x80, 0x00, 0x00, 0x00, /* receive */
    0xec, 0x0e, 0x1a, 0x10, 0x80, 0x10, 0x00, 0x00, /* transmit */
};

START_TEST(test_decode_reply_fields_and_roundtrip)
{
	struct sntp_packet p;
	uint8_t again[SNTP_PACKET_LEN];

	ck_assert_int_eq(sntp_decode(reply_bytes, sizeof(reply_bytes), &p), 0);
	ck_assert_int_eq(p.leap, 1);
	ck_assert_int_eq(p.version, 4);
	ck_assert_int_eq(p.mode, 4);
	ck_assert_int_eq(p.stratum, 2);
	ck_assert_int_eq(p.poll, 6);
	ck_assert_int_eq(p.precision, -23);
	ck_assert_uint_eq(p.root_delay, 0x00018000u);
	ck_assert_uint_eq(p.root_dispersion, 0x00004000u);
	ck_assert_uint_eq(p.refid, 0xc0000201u);
	ck_assert_uint_eq(p.reference, 0xec0e1a0000000000ULL);
	ck_assert_uint_eq(p.origin, 0x0123456789abcdefULL);
	ck_assert_uint_eq(p.receive, 0xec0e1a1080000000ULL);
	ck_assert_uint_eq(p.transmit, 0xec0e1a1080100000ULL);
	ck_assert_double_eq(sntp_short_to_seconds(p.root_delay), 1.5);
	ck_assert_double_eq(sntp_short_to_seconds(p.root_dispersion), 0.25);
	sntp_encode(&p, again);
	ck_assert_mem_eq(again, reply_bytes, SNTP_PACKET_LEN);
}
END_TEST

START_TEST(test_decode_truncated_and_extended)
{
	uint8_t big[SNTP_PACKET_LEN + 20];
	struct sntp_packet p;

	for (size_t len = 0; len < SNTP_PACKET_LEN; len++)
		ck_assert_msg(sntp_decode(reply_bytes, len, &p) == -1, "%zu bytes accepted", len);
	memcpy(big, reply_bytes, SNTP_PACKET_LEN);
	memset(big + SNTP_PACKET_LEN, 0x5a, 20); /* a MAC: ignored */
	ck_assert_int_eq(sntp_decode(big, sizeof(big), &p), 0);
	ck_assert_uint_eq(p.transmit, 0xec0e1a1080100000ULL);
}
END_TEST

/* ---- timestamps --------------------------------------------------------- */

START_TEST(test_time_to_ntp)
{
	struct timespec ts = {0, 0};

	ck_assert_uint_eq(sntp_time_to_ntp(&ts), NTP(2208988800u, 0));
	ts.tv_nsec = 500000000;
	ck_assert_uint_eq(sntp_time_to_ntp(&ts), NTP(2208988800u, 0x80000000u));
	ts.tv_nsec = 1; /* 4.29 units of 2^-32 s */
	ck_assert_uint_eq(sntp_time_to_ntp(&ts), NTP(2208988800u, 4));
	ts.tv_nsec = 999999999; /* rounds to 2^32 - 4, never into the next second */
	ck_assert_uint_eq(sntp_time_to_ntp(&ts), NTP(2208988800u, 0xfffffffcu));
	/* the last second of era 0, and the first of era 1 */
	ts.tv_sec = ERA1_UNIX - 1;
	ts.tv_nsec = 500000000;
	ck_assert_uint_eq(sntp_time_to_ntp(&ts), NTP(0xffffffffu, 0x80000000u));
	ts.tv_sec = ERA1_UNIX;
	ts.tv_nsec = 0;
	ck_assert_uint_eq(sntp_time_to_ntp(&ts), NTP(0, 0));
	/* 1900-01-01 and 1968-01-20T03:14:08Z (NTP 2^31) */
	ts.tv_sec = -2208988800LL;
	ck_assert_uint_eq(sntp_time_to_ntp(&ts), NTP(0, 0));
	ts.tv_sec = -61505152;
	ck_assert_uint_eq(sntp_time_to_ntp(&ts), NTP(0x80000000u, 0));
}
END_TEST

START_TEST(test_ntp_to_time_eras)
{
	struct {
		uint64_t ntp;
		time_t pivot;
		time_t want_sec;
		long want_nsec;
	} c[] = {
	    /* around the 2036 rollover: era 1 once the pivot is near */
	    {NTP(5, 0), ERA1_UNIX - 10, ERA1_UNIX + 5, 0},
	    {NTP(0xffffffffu, 0x80000000u), ERA1_UNIX + 10, ERA1_UNIX - 1, 500000000},
	    {NTP(0xffffffffu, 0), 1764000000 /* 2025 */, ERA1_UNIX - 1, 0},
	    {NTP(0x10, 0), 4102444800LL /* 2100 */, ERA1_UNIX + 16, 0},
	    /* a 2025 timestamp stays in era 0 until 2093 */
	    {NTP(2208988800u + 1764000000u, 0), 1764000000, 1764000000, 0},
	    /* 1900 and 1968 (the middle of era 0) */
	    {NTP(5, 0), -2208988800LL, -2208988795LL, 0},
	    {NTP(0x80000000u, 0), -61505152, -61505152, 0},
	    {NTP(0x80000000u, 0), 0, -61505152, 0},
	    /* the fraction: 0.5 s, and the largest one rounds down */
	    {NTP(2208988800u, 0x80000000u), 0, 0, 500000000},
	    {NTP(2208988800u, 0xfffffffbu), 0, 0, 999999999},
	    /* the largest fraction rounds into the next second */
	    {NTP(2208988800u, 0xffffffffu), 0, 1, 0},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct timespec ts = sntp_ntp_to_time(c[i].ntp, c[i].pivot);
		ck_assert_msg(ts.tv_sec == c[i].want_sec && ts.tv_nsec == c[i].want_nsec,
		              "case %zu: %lld.%09ld, want %lld.%09ld", i, (long long)ts.tv_sec,
		              ts.tv_nsec, (long long)c[i].want_sec, c[i].want_nsec);
		/* and back, to the nearest nanosecond (4.3 units of 2^-32 s) */
		ck_assert_msg(llabs((long long)(sntp_time_to_ntp(&ts) - c[i].ntp)) <= 2,
		              "case %zu: back to %016llx", i,
		              (unsigned long long)sntp_time_to_ntp(&ts));
	}
}
END_TEST

START_TEST(test_diff_across_rollover)
{
	uint64_t before = NTP(0xffffffffu, 0), after = NTP(1, 0);

	ck_assert_double_eq(sntp_ntp_diff(after, before), 2.0);
	ck_assert_double_eq(sntp_ntp_diff(before, after), -2.0);
	ck_assert_double_eq(sntp_ntp_diff(NTP(10, 0x40000000u), NTP(10, 0xc0000000u)), -0.5);
	/* 60 years either way still has the right sign */
	ck_assert_double_eq(sntp_ntp_diff(NTP(60u * 31557600u, 0), NTP(0, 0)), 60.0 * 31557600);
	ck_assert_double_eq(sntp_ntp_diff(NTP(0, 0), NTP(60u * 31557600u, 0)), -60.0 * 31557600);
}
END_TEST

/* ---- replies ------------------------------------------------------------ */

/* A reply to `cookie` with the server's timestamps t2 and t3. */
static void make_reply(uint8_t *buf, uint64_t cookie, uint64_t t2, uint64_t t3, int stratum,
                       uint32_t refid)
{
	struct sntp_packet p = {.leap = 0,
	                        .version = 4,
	                        .mode = 4,
	                        .stratum = (uint8_t)stratum,
	                        .poll = 6,
	                        .precision = -20,
	                        .root_delay = 0x00000800, /* 31.25 ms */
	                        .root_dispersion = 0x00000400,
	                        .refid = refid,
	                        .reference = t2,
	                        .origin = cookie,
	                        .receive = t2,
	                        .transmit = t3};
	sntp_encode(&p, buf);
}

#define COOKIE 0x9e3779b97f4a7c15ULL

START_TEST(test_offset_delay_positive)
{
	uint8_t buf[SNTP_PACKET_LEN];
	struct sntp_sample s;
	double t1 = 1764000000.25;

	/* server 0.75 s ahead, 10 ms each way, 1 ms inside the server */
	make_reply(buf, COOKIE, secs_ntp(t1 + 0.010 + 0.75), secs_ntp(t1 + 0.011 + 0.75), 2,
	           0xc0000201u);
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, secs_ntp(t1),
	                                        secs_ntp(t1 + 0.021), &s),
	                 SNTP_REPLY_SAMPLE);
	ck_assert_double_eq_tol(s.offset, 0.75, 1e-6);
	ck_assert_double_eq_tol(s.delay, 0.020, 1e-6);
	ck_assert_int_eq(s.stratum, 2);
	ck_assert_str_eq(s.kod, "");
	/* 31.25 ms / 2 + 15.625 ms + 20 ms / 2 */
	ck_assert_double_eq_tol(s.root_distance, 0.015625 + 0.015625 + 0.010, 1e-6);
}
END_TEST

START_TEST(test_offset_negative)
{
	uint8_t buf[SNTP_PACKET_LEN];
	struct sntp_sample s;
	double t1 = 1764000000.9;

	/* server 1.5 s behind; asymmetric path: 15 ms out, 5 ms back */
	make_reply(buf, COOKIE, secs_ntp(t1 + 0.015 - 1.5), secs_ntp(t1 + 0.016 - 1.5), 3,
	           0x7f7f0101u);
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, secs_ntp(t1),
	                                        secs_ntp(t1 + 0.021), &s),
	                 SNTP_REPLY_SAMPLE);
	/* ((0.015 - 1.5) + (0.016 - 1.5 - 0.021)) / 2: half the asymmetry shows */
	ck_assert_double_eq_tol(s.offset, -1.495, 1e-6);
	ck_assert_double_eq_tol(s.delay, 0.020, 1e-6);
}
END_TEST

START_TEST(test_offset_across_2036)
{
	uint8_t buf[SNTP_PACKET_LEN];
	struct sntp_sample s;
	double t1 = (double)ERA1_UNIX - 0.1; /* we are still in era 0 */
	uint64_t t2 = secs_ntp(t1 + 0.004 + 0.5), t3 = secs_ntp(t1 + 0.005 + 0.5);

	ck_assert_uint_lt(t2, NTP(1, 0)); /* the server already is in era 1 */
	make_reply(buf, COOKIE, t2, t3, 1, 0x47505300u /* "GPS" */);
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, secs_ntp(t1),
	                                        secs_ntp(t1 + 0.009), &s),
	                 SNTP_REPLY_SAMPLE);
	ck_assert_double_eq_tol(s.offset, 0.5, 1e-6);
	ck_assert_double_eq_tol(s.delay, 0.008, 1e-6);
	/* and the other way: we are in era 1, the server 2 s behind in era 0 */
	t1 = (double)ERA1_UNIX + 0.5;
	make_reply(buf, COOKIE, secs_ntp(t1 + 0.001 - 2), secs_ntp(t1 + 0.002 - 2), 1, 0);
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, secs_ntp(t1),
	                                        secs_ntp(t1 + 0.003), &s),
	                 SNTP_REPLY_SAMPLE);
	ck_assert_double_eq_tol(s.offset, -2.0, 1e-6);
}
END_TEST

static uint32_t code32(const char *c)
{
	return (uint32_t)(unsigned char)c[0] << 24 | (uint32_t)(unsigned char)c[1] << 16 |
	       (uint32_t)(unsigned char)c[2] << 8 | (uint32_t)(unsigned char)c[3];
}

START_TEST(test_kod_codes)
{
	static const char *const kods[] = {"RATE", "DENY", "RSTR"};
	uint8_t buf[SNTP_PACKET_LEN];
	struct sntp_sample s;
	char text[16];

	for (size_t i = 0; i < 3; i++) {
		/* KoDs often carry no usable timestamps at all */
		make_reply(buf, COOKIE, 0, 0, 0, code32(kods[i]));
		ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, 1, 2, &s),
		                 SNTP_REPLY_KOD);
		ck_assert_str_eq(s.kod, kods[i]);
	}
	/* stratum 0 with another code is a status (ntpd not yet in sync), not
	 * a KoD: a sample the verdict will call unsynchronised */
	make_reply(buf, COOKIE, secs_ntp(100.0), secs_ntp(100.0), 0, code32("INIT"));
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, secs_ntp(100.0),
	                                        secs_ntp(100.001), &s),
	                 SNTP_REPLY_SAMPLE);
	ck_assert_str_eq(s.kod, "");
	ck_assert_int_eq(s.stratum, 0);
	sntp_refid_text(s.stratum, s.refid, text, sizeof(text));
	ck_assert_str_eq(text, "INIT");
	/* "RATE" at stratum 1 is a reference id, not a KoD */
	make_reply(buf, COOKIE, secs_ntp(100.0), secs_ntp(100.0), 1, code32("RATE"));
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, secs_ntp(100.0),
	                                        secs_ntp(100.001), &s),
	                 SNTP_REPLY_SAMPLE);
}
END_TEST

START_TEST(test_drops)
{
	uint8_t buf[SNTP_PACKET_LEN];
	struct sntp_sample s;

	make_reply(buf, COOKIE, secs_ntp(100.0), secs_ntp(100.0), 2, 1);
	ck_assert_int_eq(sntp_sample_from_reply(buf, 47, COOKIE, 1, 2, &s), SNTP_REPLY_SHORT);
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE + 1, 1, 2, &s),
	                 SNTP_REPLY_ORIGIN);
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), 0, 1, 2, &s), SNTP_REPLY_ORIGIN);
	/* a spoofed KoD (wrong origin) is not believed either */
	make_reply(buf, COOKIE ^ 1, 0, 0, 0, code32("DENY"));
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, 1, 2, &s),
	                 SNTP_REPLY_ORIGIN);
	/* our own request reflected back (mode 3), a broadcast (mode 5) */
	make_reply(buf, COOKIE, secs_ntp(100.0), secs_ntp(100.0), 2, 1);
	buf[0] = 0x23;
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, 1, 2, &s),
	                 SNTP_REPLY_MODE);
	buf[0] = 0x25;
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, 1, 2, &s),
	                 SNTP_REPLY_MODE);
	buf[0] = 0x04; /* version 0 */
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, 1, 2, &s),
	                 SNTP_REPLY_VERSION);
	buf[0] = 0x2c; /* version 5 */
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, 1, 2, &s),
	                 SNTP_REPLY_VERSION);
	buf[0] = 0x1c; /* version 3 is fine */
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, secs_ntp(99.999),
	                                        secs_ntp(100.001), &s),
	                 SNTP_REPLY_SAMPLE);
	make_reply(buf, COOKIE, secs_ntp(100.0), 0, 2, 1);
	ck_assert_int_eq(sntp_sample_from_reply(buf, sizeof(buf), COOKIE, 1, 2, &s),
	                 SNTP_REPLY_NO_XMT);
}
END_TEST

START_TEST(test_refid_text_and_names)
{
	char t[16];

	sntp_refid_text(1, code32("GPS\0"), t, sizeof(t));
	ck_assert_str_eq(t, "GPS");
	sntp_refid_text(1, 0x50505301u, t, sizeof(t)); /* "PPS\1" */
	ck_assert_str_eq(t, "PPS?");
	sntp_refid_text(3, 0x7f7f0101u, t, sizeof(t));
	ck_assert_str_eq(t, "127.127.1.1");
	sntp_refid_text(16, 0, t, sizeof(t));
	ck_assert_str_eq(t, "0.0.0.0");
	ck_assert_str_eq(sntp_status_name(SNTP_STATUS_OK), "ok");
	ck_assert_str_eq(sntp_status_name(SNTP_STATUS_NO_ANSWER), "no-answer");
	ck_assert_str_eq(sntp_status_name(SNTP_STATUS_KOD), "kod");
	ck_assert_str_eq(sntp_status_name(SNTP_STATUS_UNSYNC), "unsynchronised");
	ck_assert_str_eq(sntp_status_name(SNTP_STATUS_LEAP_ALARM), "leap-alarm");
	ck_assert_str_eq(sntp_status_name(SNTP_STATUS_TOO_FAR), "too-far");
	ck_assert_str_eq(sntp_leap_name(SNTP_LEAP_INSERT), "insert");
	ck_assert_str_eq(sntp_leap_name(SNTP_LEAP_ALARM), "alarm");
}
END_TEST

/* ---- the probe loop, against a responder on 127.0.0.1 --------------------- */

struct responder {
	int stratum;
	int leap;
	double offset;         /* added to the responder's clock */
	uint32_t root_disp;    /* 16.16 */
	int kod_after;         /* answer this many, then send KoD `kod` */
	const char *kod;       /* NULL: never */
	bool bad_origin_first; /* before each reply, one with a wrong origin */
	bool short_first;      /* before each reply, a 47-byte one */
	bool other_port;       /* answer from another socket (port) */
	bool silent;
	int replies_max; /* 0: no limit */
};

static const struct responder normal = {.stratum = 2, .kod_after = -1};

/* Optional fake clock shared by the probe and the responder (fork copies
 * the base): real elapsed time, shifted to a chosen instant. */
static struct timespec fake_base, fake_mono;

static int fake_clock(struct timespec *ts)
{
	struct timespec m;
	int64_t ns;

	clock_gettime(CLOCK_MONOTONIC, &m);
	ns = (int64_t)(m.tv_sec - fake_mono.tv_sec) * 1000000000 + (m.tv_nsec - fake_mono.tv_nsec) +
	     fake_base.tv_nsec;
	ts->tv_sec = fake_base.tv_sec + ns / 1000000000;
	ts->tv_nsec = (long)(ns % 1000000000);
	return 0;
}

static bool use_fake;

static uint64_t resp_now(double offset)
{
	struct timespec ts;

	if (use_fake)
		fake_clock(&ts);
	else
		clock_gettime(CLOCK_REALTIME, &ts);
	return sntp_time_to_ntp(&ts) + (uint64_t)(int64_t)llround(offset * 4294967296.0);
}

static void serve(int fd, int fd2, const struct responder *r)
{
	struct timespec end;
	int answered = 0;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += 5; /* bounded lifetime, whatever the parent does */
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		uint8_t in[256], out[SNTP_PACKET_LEN];
		struct sntp_packet q, p;
		struct timespec now;
		ssize_t n;
		uint64_t t2;
		int sfd = r->other_port ? fd2 : fd;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec ||
		    (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
			_exit(0);
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		n = recvfrom(fd, in, sizeof(in), 0, (struct sockaddr *)&from, &fl);
		t2 = resp_now(r->offset);
		if (n < 0 || sntp_decode(in, (size_t)n, &q) < 0 || q.mode != 3 || r->silent)
			continue;
		if (r->replies_max && answered >= r->replies_max)
			continue;
		memset(&p, 0, sizeof(p));
		p.leap = (uint8_t)r->leap;
		p.version = q.version;
		p.mode = 4;
		p.stratum = (uint8_t)r->stratum;
		p.precision = -20;
		p.root_delay = 0x00000100;
		p.root_dispersion = r->root_disp ? r->root_disp : 0x00000200;
		p.refid = 0xc0000201u;
		p.reference = t2;
		p.receive = t2;
		if (r->kod && answered >= r->kod_after) {
			p.stratum = 0;
			p.refid = code32(r->kod);
			p.origin = q.transmit;
			sntp_encode(&p, out);
			sendto(sfd, out, sizeof(out), 0, (struct sockaddr *)&from, fl);
			answered++;
			continue;
		}
		if (r->bad_origin_first) {
			p.origin = q.transmit ^ 0x100;
			p.transmit = resp_now(r->offset);
			sntp_encode(&p, out);
			sendto(sfd, out, sizeof(out), 0, (struct sockaddr *)&from, fl);
		}
		p.origin = q.transmit;
		p.transmit = resp_now(r->offset);
		sntp_encode(&p, out);
		if (r->short_first)
			sendto(sfd, out, SNTP_PACKET_LEN - 1, 0, (struct sockaddr *)&from, fl);
		sendto(sfd, out, sizeof(out), 0, (struct sockaddr *)&from, fl);
		answered++;
	}
}

static int bound_socket(uint16_t *port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static pid_t start_responder(const struct responder *r, uint16_t *port)
{
	uint16_t port2;
	int fd = bound_socket(port), fd2 = bound_socket(&port2);
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		serve(fd, fd2, r);
	close(fd);
	close(fd2);
	return pid;
}

static void stop_responder(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static struct sntp_options fast_options(uint16_t port)
{
	struct sntp_options o;

	sntp_options_init(&o);
	o.spacing_ms = 20;
	o.timeout_ms = 300;
	o.port = port;
	return o;
}

/* Samples 20 ms apart keep the suite fast; the KoD tests space them
 * wider, so that the KoD is read before the next request is due even on a
 * loaded machine. */
static int probe_spacing_ms = 20;

/* Probes 127.0.0.1 against responder r; returns the probe's result. */
static int probe_one(const struct responder *r, struct sntp_options *o, struct sntp_report *rep)
{
	const char *hosts[] = {"127.0.0.1"};
	struct errlist errs;
	uint16_t port;
	pid_t pid = start_responder(r, &port);
	int rc;

	*o = fast_options(port);
	o->spacing_ms = probe_spacing_ms;
	errlist_init(&errs);
	rc = sntp_probe(hosts, 1, o, rep, &errs);
	stop_responder(pid);
	ck_assert_int_eq((int)errs.n, 0);
	errlist_free(&errs);
	ck_assert_uint_eq(rep->nhosts, 1);
	ck_assert_uint_eq(rep->hosts[0].naddrs, 1);
	return rc;
}

#define SUMMARY_OK "127.0.0.1: usable: 127.0.0.1 answers at stratum 3, offset +25"

START_TEST(test_probe_offset_and_stratum)
{
	struct responder r = normal;
	struct sntp_options o;
	struct sntp_report rep;
	const struct sntp_address *a;

	r.offset = 0.25;
	r.stratum = 3;
	ck_assert_int_eq(probe_one(&r, &o, &rep), 0);
	a = &rep.hosts[0].addrs[0];
	ck_assert_str_eq(a->address, "127.0.0.1");
	ck_assert_int_eq(a->status, SNTP_STATUS_OK);
	ck_assert_int_eq(a->sent, 4);
	ck_assert_int_eq(a->answered, 4);
	ck_assert_int_eq(a->dropped, 0);
	ck_assert_int_eq(a->best.stratum, 3);
	ck_assert_double_eq_tol(a->best.offset, 0.25, 0.002);
	ck_assert_double_lt(a->best.delay, 0.005);
	ck_assert(rep.all_usable);
	ck_assert_msg(strncmp(rep.hosts[0].summary, SUMMARY_OK, strlen(SUMMARY_OK)) == 0, "%s",
	              rep.hosts[0].summary);
	/* all samples answered: done in about 3 x 20 ms, not the timeout */
	ck_assert_int_lt(rep.elapsed_ms, sntp_budget_ms(&o));
	sntp_report_free(&rep);

	r.offset = -2.5;
	ck_assert_int_eq(probe_one(&r, &o, &rep), 0);
	ck_assert_double_eq_tol(rep.hosts[0].addrs[0].best.offset, -2.5, 0.002);
	sntp_report_free(&rep);
}
END_TEST

START_TEST(test_probe_drops_mismatched_and_short)
{
	struct responder r = normal;
	struct sntp_options o;
	struct sntp_report rep;
	const struct sntp_address *a;

	r.bad_origin_first = true;
	r.short_first = true;
	r.offset = 0.1;
	ck_assert_int_eq(probe_one(&r, &o, &rep), 0);
	a = &rep.hosts[0].addrs[0];
	ck_assert_int_eq(a->answered, 4);
	ck_assert_int_eq(a->dropped, 8); /* one wrong origin and one short per request */
	ck_assert_double_eq_tol(a->best.offset, 0.1, 0.002);
	sntp_report_free(&rep);
}
END_TEST

START_TEST(test_probe_reply_from_other_port_dropped)
{
	struct responder r = normal;
	struct sntp_options o;
	struct sntp_report rep;
	const struct sntp_address *a;

	r.other_port = true;
	ck_assert_int_eq(probe_one(&r, &o, &rep), 1);
	a = &rep.hosts[0].addrs[0];
	ck_assert_int_eq(a->status, SNTP_STATUS_NO_ANSWER);
	ck_assert_int_eq(a->answered, 0);
	ck_assert(!rep.all_usable);
	ck_assert_str_eq(rep.hosts[0].summary,
	                 "127.0.0.1: not usable: no answer from 127.0.0.1 within 300 ms");
	sntp_report_free(&rep);
}
END_TEST

START_TEST(test_probe_silent_times_out_within_budget)
{
	struct responder r = normal;
	struct sntp_options o;
	struct sntp_report rep;

	r.silent = true;
	ck_assert_int_eq(probe_one(&r, &o, &rep), 1);
	ck_assert_int_eq(rep.hosts[0].status, SNTP_STATUS_NO_ANSWER);
	ck_assert_int_eq(rep.hosts[0].addrs[0].sent, 4);
	/* (4 - 1) x 20 ms + 300 ms, give or take the scheduler */
	ck_assert_int_ge(rep.elapsed_ms, sntp_budget_ms(&o) - 5);
	/* the upper bound is loose: a loaded machine schedules late */
	ck_assert_int_le(rep.elapsed_ms, sntp_budget_ms(&o) + 2000);
	sntp_report_free(&rep);
}
END_TEST

START_TEST(test_probe_kod_rate_after_a_sample)
{
	struct responder r = normal;
	struct sntp_options o;
	struct sntp_report rep;
	const struct sntp_address *a;

	r.kod = "RATE";
	r.kod_after = 1;
	probe_spacing_ms = 400;
	/* one sample, then RATE: reported, and nothing more is sent */
	ck_assert_int_eq(probe_one(&r, &o, &rep), 0);
	a = &rep.hosts[0].addrs[0];
	ck_assert_str_eq(a->kod, "RATE");
	ck_assert_int_eq(a->status, SNTP_STATUS_OK);
	ck_assert_int_eq(a->answered, 1);
	/* 2, or 3 when the machine is so loaded that the next request left
	 * before the RATE reply was read; never all 4 */
	ck_assert_int_ge(a->sent, 2);
	ck_assert_int_lt(a->sent, 4);
	sntp_report_free(&rep);

	r.kod_after = 0; /* RATE and no time at all */
	ck_assert_int_eq(probe_one(&r, &o, &rep), 1);
	a = &rep.hosts[0].addrs[0];
	ck_assert_int_eq(a->status, SNTP_STATUS_KOD);
	ck_assert_int_eq(a->sent, 1);
	ck_assert_str_eq(rep.hosts[0].summary, "127.0.0.1: not usable: 127.0.0.1 sent "
	                                       "Kiss-o'-Death RATE (rate limited) and no time");
	sntp_report_free(&rep);
	probe_spacing_ms = 20;
}
END_TEST

START_TEST(test_probe_kod_deny_and_rstr)
{
	static const char *const codes[] = {"DENY", "RSTR"};
	static const char *const said[] = {"DENY: access denied", "RSTR: access restricted"};
	struct responder r = normal;
	struct sntp_options o;
	struct sntp_report rep;

	probe_spacing_ms = 400;
	for (int i = 0; i < 2; i++) {
		r.kod = codes[i];
		r.kod_after = 1; /* even after a good sample: stop using it */
		ck_assert_int_eq(probe_one(&r, &o, &rep), 1);
		ck_assert_int_eq(rep.hosts[0].status, SNTP_STATUS_KOD);
		ck_assert_str_eq(rep.hosts[0].addrs[0].kod, codes[i]);
		ck_assert_int_ge(rep.hosts[0].addrs[0].sent, 2); /* see kod_rate_after_a_sample */
		ck_assert_int_lt(rep.hosts[0].addrs[0].sent, 4);
		ck_assert_ptr_nonnull(strstr(rep.hosts[0].summary, said[i]));
		sntp_report_free(&rep);
	}
	probe_spacing_ms = 20;
}
END_TEST

START_TEST(test_probe_unsync_alarm_far)
{
	struct responder r = normal;
	struct sntp_options o;
	struct sntp_report rep;

	r.stratum = 16;
	ck_assert_int_eq(probe_one(&r, &o, &rep), 1);
	ck_assert_int_eq(rep.hosts[0].status, SNTP_STATUS_UNSYNC);
	ck_assert_str_eq(rep.hosts[0].summary, "127.0.0.1: not usable: 127.0.0.1 is not "
	                                       "synchronised (stratum 16, reference 192.0.2.1)");
	sntp_report_free(&rep);

	r.stratum = 2;
	r.leap = SNTP_LEAP_ALARM;
	ck_assert_int_eq(probe_one(&r, &o, &rep), 1);
	ck_assert_int_eq(rep.hosts[0].status, SNTP_STATUS_LEAP_ALARM);
	sntp_report_free(&rep);

	r.leap = SNTP_LEAP_INSERT; /* announcing a leap second is fine */
	ck_assert_int_eq(probe_one(&r, &o, &rep), 0);
	ck_assert_int_eq(rep.hosts[0].addrs[0].best.leap, SNTP_LEAP_INSERT);
	sntp_report_free(&rep);

	r.leap = 0;
	r.root_disp = 0x00018000; /* 1.5 s: root distance just over 1.5 s */
	ck_assert_int_eq(probe_one(&r, &o, &rep), 1);
	ck_assert_int_eq(rep.hosts[0].status, SNTP_STATUS_TOO_FAR);
	ck_assert_ptr_nonnull(strstr(rep.hosts[0].summary, "over the limit of 1.5 s"));
	sntp_report_free(&rep);
}
END_TEST

START_TEST(test_probe_dead_port_is_unreachable_at_once)
{
	const char *hosts[] = {"127.0.0.1"};
	struct sntp_options o;
	struct sntp_report rep;
	struct errlist errs;
	uint16_t port;
	int fd = bound_socket(&port);

	close(fd); /* nothing listens there now: ICMP port unreachable */
	o = fast_options(port);
	o.timeout_ms = 5000; /* the refusal ends it long before this */
	errlist_init(&errs);
	ck_assert_int_eq(sntp_probe(hosts, 1, &o, &rep, &errs), 1);
	ck_assert_int_eq(rep.hosts[0].status, SNTP_STATUS_UNREACHABLE);
	ck_assert_int_eq(rep.hosts[0].addrs[0].err, ECONNREFUSED);
	ck_assert_int_lt(rep.elapsed_ms, 2500);
	sntp_report_free(&rep);
	errlist_free(&errs);
}
END_TEST

START_TEST(test_probe_across_2036_with_fake_clock)
{
	struct responder r = normal;
	struct sntp_options o;
	struct sntp_report rep;

	/* 0.05 s before era 1; the server is 0.5 s ahead, already past it */
	fake_base.tv_sec = (time_t)(ERA1_UNIX - 1);
	fake_base.tv_nsec = 950000000;
	clock_gettime(CLOCK_MONOTONIC, &fake_mono);
	use_fake = true;
	sntp_set_clock(fake_clock);
	r.offset = 0.5;
	ck_assert_int_eq(probe_one(&r, &o, &rep), 0);
	sntp_set_clock(NULL);
	use_fake = false;
	ck_assert_double_eq_tol(rep.hosts[0].addrs[0].best.offset, 0.5, 0.002);
	sntp_report_free(&rep);
}
END_TEST

START_TEST(test_probe_in_steps_and_several_hosts)
{
	const char *hosts[] = {"127.0.0.1", "localhost"};
	struct responder r = normal;
	struct sntp_options o;
	struct sntp_report rep;
	struct errlist errs;
	struct sntp_probe *p;
	uint16_t port;
	pid_t pid = start_responder(&r, &port);
	int steps = 0;

	o = fast_options(port);
	errlist_init(&errs);
	p = sntp_probe_start(hosts, 2, &o, &errs);
	ck_assert_ptr_nonnull(p);
	/* a UI timer: never blocks */
	while (sntp_probe_step(p, 0) > 0 && steps < 100000) {
		steps++;
		usleep(1000);
	}
	sntp_probe_finish(p, &rep);
	stop_responder(pid);
	/* Four samples 20 ms apart cannot all be done in one call that does not
	 * block: it took several (dozens when the machine is idle). */
	ck_assert_int_ge(steps, 2);
	ck_assert(rep.all_usable);
	ck_assert_str_eq(rep.hosts[1].name, "localhost");
	ck_assert_int_eq(rep.hosts[1].status, SNTP_STATUS_OK);
	ck_assert_int_eq(rep.hosts[0].addrs[0].answered, 4);
	sntp_report_free(&rep);
	errlist_free(&errs);
}
END_TEST

START_TEST(test_probe_bad_input)
{
	const char *bad[] = {"pool.ntp.org noselect", "ok.example", "a\nb"};
	struct sntp_options o;
	struct sntp_report rep;
	struct errlist errs;

	sntp_options_init(&o);
	errlist_init(&errs);
	ck_assert_int_eq(sntp_probe(bad, 3, &o, &rep, &errs), -1);
	ck_assert_uint_eq(rep.nhosts, 0);
	ck_assert_uint_eq(errs.n, 2);
	ck_assert_str_eq(errs.v[0].where, "host \"pool.ntp.org noselect\"");
	ck_assert_ptr_nonnull(strstr(errs.v[0].message, "whitespace"));
	ck_assert_str_eq(errs.v[1].where, "host \"a\\x0ab\"");
	errlist_free(&errs);

	errlist_init(&errs);
	o.count = 17;
	o.timeout_ms = 49;
	ck_assert_int_eq(sntp_probe(bad + 1, 1, &o, &rep, &errs), -1);
	ck_assert_uint_eq(errs.n, 2);
	ck_assert_str_eq(errs.v[0].where, "count");
	ck_assert_str_eq(errs.v[0].message, "17 is out of range: from 1 to 16 samples");
	ck_assert_str_eq(errs.v[1].where, "timeout");
	ck_assert_str_eq(errs.v[1].message, "49 ms is out of range: from 50 to 60000 ms");
	errlist_free(&errs);

	errlist_init(&errs);
	sntp_options_init(&o);
	ck_assert_int_eq(sntp_probe(bad, 0, &o, &rep, &errs), -1);
	ck_assert_str_eq(errs.v[0].message, "no server to probe");
	errlist_free(&errs);
}
END_TEST

static Suite *sntp_suite(void)
{
	Suite *s = suite_create("sntp");
	TCase *pk = tcase_create("packets");
	TCase *lp = tcase_create("probe");

	tcase_add_test(pk, test_encode_request_bytes);
	tcase_add_test(pk, test_decode_reply_fields_and_roundtrip);
	tcase_add_test(pk, test_decode_truncated_and_extended);
	tcase_add_test(pk, test_time_to_ntp);
	tcase_add_test(pk, test_ntp_to_time_eras);
	tcase_add_test(pk, test_diff_across_rollover);
	tcase_add_test(pk, test_offset_delay_positive);
	tcase_add_test(pk, test_offset_negative);
	tcase_add_test(pk, test_offset_across_2036);
	tcase_add_test(pk, test_kod_codes);
	tcase_add_test(pk, test_drops);
	tcase_add_test(pk, test_refid_text_and_names);
	suite_add_tcase(s, pk);

	tcase_set_timeout(lp, 20);
	tcase_add_test(lp, test_probe_offset_and_stratum);
	tcase_add_test(lp, test_probe_drops_mismatched_and_short);
	tcase_add_test(lp, test_probe_reply_from_other_port_dropped);
	tcase_add_test(lp, test_probe_silent_times_out_within_budget);
	tcase_add_test(lp, test_probe_kod_rate_after_a_sample);
	tcase_add_test(lp, test_probe_kod_deny_and_rstr);
	tcase_add_test(lp, test_probe_unsync_alarm_far);
	tcase_add_test(lp, test_probe_dead_port_is_unreachable_at_once);
	tcase_add_test(lp, test_probe_across_2036_with_fake_clock);
	tcase_add_test(lp, test_probe_in_steps_and_several_hosts);
	tcase_add_test(lp, test_probe_bad_input);
	suite_add_tcase(s, lp);
	return s;
}

int main(void)
{
	return testhelp_run(sntp_suite());
}
