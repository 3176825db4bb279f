/* enroll.c: member-add and member-edit: check each record, then append all or none. */

#include <stdio.h>
#include <string.h>

#include "store.h"

/* The field's name in messages: --id sets the member column. */
static const char *
colname(int col)
{
	return col == M_MEMBER ? "id" : L_MEMBERS.cols[col];
}

/* In a batch the reasons are said in the order of the lines. */
static void
refuse(char **err)
{
	*err = estrdup(vl_err);
}

/* What needs no ledger. */
static int
precheck(struct memberinput *in)
{
	char **f = in->f;
	int i;

	if (in->err)
		return fail("%s", in->err);
	/* 女 and 男, as a register export writes them */
	if (f[M_GENDER] && strcmp(f[M_GENDER], "女") == 0)
		f[M_GENDER] = "F";
	else if (f[M_GENDER] && strcmp(f[M_GENDER], "男") == 0)
		f[M_GENDER] = "M";
	for (i = M_MEMBER; i < M_NCOLS; i++)
		if (f[i] && field_check(colname(i), f[i]) < 0)
			return -1;
	/* an empty member column in a batch asks for an automatic id */
	if (f[M_MEMBER] && (in->line == 0 || *f[M_MEMBER]) &&
	    id_check("id", f[M_MEMBER], 32) < 0)
		return -1;
	if (!in->key && !f[M_NAME])
		return fail("name: is required");
	if (!in->key && !f[M_PHONE])
		return fail("phone: is required");
	if (f[M_NAME] && !*f[M_NAME])
		return fail("name: must not be empty");
	if (f[M_PHONE] && phone_check(f[M_PHONE]) < 0)
		return -1;
	if (f[M_BIRTHDAY] && birthday_check(f[M_BIRTHDAY]) < 0)
		return -1;
	if (f[M_GENDER] && strcmp(f[M_GENDER], "") &&
	    strcmp(f[M_GENDER], "F") && strcmp(f[M_GENDER], "M"))
		return fail("gender: must be F, M (女, 男) or empty");
	if (f[M_CONTACT] && strcmp(f[M_CONTACT], "") &&
	    strcmp(f[M_CONTACT], "ok") && strcmp(f[M_CONTACT], "dnd"))
		return fail("contact: must be ok or dnd");
	return 0;
}

/* The members so far: the store's, and the rows of this batch before. */
struct known {
	struct store st;
	struct members batch;
	int failed;		/* the store could not answer: vl_err says */
	char err[sizeof vl_err];
};

/* The member key names (an id or a phone, as how says): 1 found. */
static int
lookup(struct known *k, const char *key, int how, struct member *out)
{
	struct member *m = NULL;

	if (how & BY_ID)
		m = members_byid(&k->batch, key);
	if (!m && (how & BY_PHONE))
		m = members_byphone(&k->batch, key);
	int r;

	if (m) {
		*out = *m;
		return 1;
	}
	if ((r = store_member_by(&k->st, key, how, out)) < 0 && !k->failed) {
		k->failed = 1;
		memcpy(k->err, vl_err, sizeof k->err);
	}
	return r > 0;
}

/* Checks against the members so far; fills rec with the record to write. */
static int
check(const struct vl *vl, struct known *k, const struct strmap *given,
    struct memberinput *in, char *rec[M_NCOLS], char *idbuf)
{
	struct member m = { 0 }, other = { 0 };
	char **f = in->f;
	const char *self;
	day_t born;
	long max;
	int i;

	if (in->key) {
		if (!lookup(k, in->key, BY_ID | BY_PHONE, &m))
			return fail("member: %s is not a member id or phone",
			    in->key);
		for (i = 0; i < M_NCOLS; i++)
			rec[i] = f[i] ? f[i] : m.f[i];
	} else {
		for (i = 0; i < M_NCOLS; i++)
			rec[i] = f[i] ? f[i] : "";
		if (*rec[M_MEMBER]) {
			if (lookup(k, rec[M_MEMBER], BY_ID, &other))
				return fail("id: %s is taken", rec[M_MEMBER]);
		} else {
			if (store_maxauto(&k->st, 'M', &max) < 0)
				return -1;
			if (k->batch.maxauto > max)
				max = k->batch.maxauto;
			/* never an id that another row of the batch gives */
			do
				snprintf(idbuf, 24, "M%06ld", ++max);
			while (strmap_get(given, idbuf));
			rec[M_MEMBER] = idbuf;
		}
		/* MEMBER arguments take an id or a phone: never both */
		if (lookup(k, rec[M_MEMBER], BY_PHONE, &other))
			return fail("id: %s is the phone of member %s",
			    rec[M_MEMBER], other.f[M_MEMBER]);
	}
	self = rec[M_MEMBER];
	if (f[M_PHONE] && lookup(k, f[M_PHONE], BY_ID, &other) &&
	    strcmp(other.f[M_MEMBER], self) != 0)
		return fail("phone: %s is the id of member %s", f[M_PHONE],
		    other.f[M_MEMBER]);
	if (f[M_PHONE] && lookup(k, f[M_PHONE], BY_PHONE, &other) &&
	    strcmp(other.f[M_MEMBER], self) != 0)
		return fail("phone: %s is taken by member %s", f[M_PHONE],
		    other.f[M_MEMBER]);
	if (f[M_REFERRER] && *f[M_REFERRER]) {
		if (!lookup(k, f[M_REFERRER], BY_ID | BY_PHONE, &other))
			return fail("referrer: %s is not a member id or phone",
			    f[M_REFERRER]);
		if (strcmp(other.f[M_MEMBER], self) == 0)
			return fail("referrer: a member cannot refer itself");
		rec[M_REFERRER] = estrdup(other.f[M_MEMBER]);
	}
	if (f[M_ASSOCIATE] && staff_check(vl, f[M_ASSOCIATE]) < 0)
		return -1;
	if (f[M_BIRTHDAY] && strlen(f[M_BIRTHDAY]) == 10 &&
	    date_parse(f[M_BIRTHDAY], 10, &born) == 0 &&
	    born > TIME_DAY(vl->now))
		return fail("birthday: %s is after today", f[M_BIRTHDAY]);
	if (!*rec[M_CONTACT])
		rec[M_CONTACT] = "ok";
	return 0;
}

int
members_post(struct vl *vl, struct memberinput *in, size_t n)
{
	struct known k = { 0 };
	struct strmap given = { 0 };
	struct rules rules;
	struct buf rows = { 0 };
	char *rec[M_NCOLS], at[20], id[24], **err;
	size_t i;
	int j, bad = 0;

	err = ecalloc(n + 1, sizeof *err);
	for (i = 0; i < n; i++)
		if (precheck(&in[i]) < 0) {
			if (in[i].line == 0)
				return -1;	/* alone: at once */
			refuse(&err[i]);
		}
	if (rules_load(vl, &rules) < 0 || ledger_begin(vl) < 0)
		return -1;
	if (store_open(&k.st, vl, 1) < 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (!in[i].key && in[i].f[M_MEMBER] && *in[i].f[M_MEMBER])
			strmap_put(&given, in[i].f[M_MEMBER], i);
	time_fmt(vl->now, at);
	for (i = 0; i < n; i++) {
		if (!err[i] && check(vl, &k, &given, &in[i], rec, id) < 0) {
			if (k.failed) {
				fail_sys("%s", k.err);
				goto fail;
			}
			if (in[i].line == 0 || vl_status != E_REFUSE)
				goto fail;
			refuse(&err[i]);
		}
		if (err[i]) {
			warn("line %ld: %s", in[i].line, err[i]);
			bad = 1;
			continue;
		}
		rec[M_AT] = at;
		for (j = 0; j < M_NCOLS; j++)
			row_field(&rows, rec[j], j == M_NCOLS - 1);
		/* later rows of a batch see this one */
		members_set(&k.batch, rec, vl->now);
	}
	if (k.failed) {
		fail_sys("%s", k.err);
		goto fail;
	}
	if (bad) {		/* each line said why */
		store_close(&k.st);
		ledger_unlock(vl);
		return E_REFUSE;
	}
	if (ledger_append(vl, &L_MEMBERS, &rows) < 0)
		goto fail;
	store_update(&k.st);
	store_close(&k.st);
	ledger_unlock(vl);
	emit(vl, &rows);
	return 0;
fail:
	store_close(&k.st);
	ledger_unlock(vl);
	return -1;
}
