/*
 * testhelp: shared main() body for the Check suites (see testhelp.h).
 */
#include "config.h"

#include <stdlib.h>

#include "testhelp.h"

int testhelp_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
