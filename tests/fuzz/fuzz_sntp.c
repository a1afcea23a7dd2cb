/*
 * fuzz_sntp: the SNTP reply decoder, which reads datagrams from the
 * network. Any datagram: decoding never reads past it, a packet re-encodes
 * to the same 48 bytes, a reply is accepted only when it echoes the
 * cookie, and an accepted sample has finite numbers and a known leap.
 */
#include "config.h"

#include <math.h>

#include "fuzzhelp.h"
#include "sntp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sntp_packet p;
	struct sntp_sample s;
	uint8_t again[SNTP_PACKET_LEN];
	/* the cookie we "sent": the reply's own origin field when there is
	 * one, so both the accepting and the refusing paths are reached */
	uint64_t cookie = 0x0123456789abcdefULL, t1, t4;

	if (sntp_decode(data, size, &p) == 0) {
		if (size < SNTP_PACKET_LEN)
			fuzz_fail("a %zu-byte datagram decoded", size);
		sntp_encode(&p, again);
		if (memcmp(again, data, SNTP_PACKET_LEN) != 0)
			fuzz_fail("decode + encode changed the header");
		if (size > 40 && (data[0] & 1))
			cookie = p.origin;
	} else if (size >= SNTP_PACKET_LEN) {
		fuzz_fail("a %zu-byte datagram was refused", size);
	}
	t1 = 0xec5a1f3400000000ULL; /* 2025-09-01 */
	t4 = t1 + (1ULL << 30);     /* a quarter second later */
	if (sntp_sample_from_reply(data, size, cookie, t1, t4, &s) == SNTP_REPLY_SAMPLE) {
		if (size < SNTP_PACKET_LEN || p.origin != cookie)
			fuzz_fail("a reply that does not echo the cookie was accepted");
		if (!isfinite(s.offset) || !isfinite(s.delay) || !isfinite(s.root_distance))
			fuzz_fail("a sample with a non-finite number");
		if ((int)s.leap < 0 || (int)s.leap > 3)
			fuzz_fail("leap indicator %d", (int)s.leap);
	}
	return 0;
}
