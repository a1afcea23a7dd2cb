#include "config.h"
#include <check.h>
#include "testhelp.h"
#include "wizard_state.h"
START_TEST(placeholder) { ck_assert(1); }
END_TEST
int main(void)
{
	Suite *s = suite_create("wizard");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, placeholder);
	suite_add_tcase(s, tc);
	return testhelp_run(s);
}
