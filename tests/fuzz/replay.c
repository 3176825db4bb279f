/* replay.c: runs a fuzz harness over the files named, without libFuzzer. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int
main(int argc, char *argv[])
{
	const char *name;
	uint8_t *buf;
	size_t n, cap;
	FILE *f;
	int i;

	name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	for (i = 1; i < argc; i++) {
		if (!(f = fopen(argv[i], "rb"))) {
			fprintf(stderr, "%s: %s: %s\n", name, argv[i],
			    strerror(errno));
			return 2;
		}
		/* exactly the input's bytes, as libFuzzer gives them */
		buf = NULL;
		n = cap = 0;
		for (;;) {
			if (n == cap && !(buf = realloc(buf, cap = cap * 2 + 4096)))
				return 2;
			if ((n += fread(buf + n, 1, cap - n, f)) < cap)
				break;
		}
		if (ferror(f)) {
			fprintf(stderr, "%s: %s: read error\n", name, argv[i]);
			return 2;
		}
		fclose(f);
		/* no slack after the input, for the sanitizers to see */
		if (!(buf = realloc(buf, n ? n : 1)))
			return 2;
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
	}
	printf("%s: %d inputs\n", name, argc - 1);
	return 0;
}
