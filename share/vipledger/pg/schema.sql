-- schema.sql: a chain's shops in one PostgreSQL database (vipledger, SPEC
-- section 10).  ledger-load-pg(1) runs this file at every load, in its
-- transaction; by hand: psql -1 -f schema.sql.  Running it again changes
-- nothing but the functions.
--
-- Each shop's ledgers are kept as they are, every row under the shop id
-- given to the loader, with its line in the file (the header is line 1):
-- ids are a shop's own, and file order is kept where it counts (a member's
-- tier is her last tiers.tsv row).  Empty fields are '' in text columns
-- and NULL in typed ones.  Money is numeric, never a float.
--
-- The views, each as of a day D, per shop and for the chain (shop NULL):
--   vipledger.chain_sales(D)      report sales --by month
--   vipledger.chain_liability(D)  report liability
--   vipledger.chain_tiers(D)      report tiers
-- Each shop's rows are the numbers its own report --as-of D prints.

CREATE SCHEMA IF NOT EXISTS vipledger;
COMMENT ON SCHEMA vipledger IS
    'vipledger head office: shops'' ledgers loaded by ledger-load-pg(1)';

-- A shop: what report -d DIR rules printed at the load, with the two
-- settings the views need taken from it.
CREATE TABLE IF NOT EXISTS vipledger.shops (
	shop		text PRIMARY KEY
			CHECK (shop ~ '^[A-Za-z0-9._-]{1,64}$'),
	redeem_rate	bigint NOT NULL CHECK (redeem_rate > 0),
	rules		text NOT NULL,
	loaded_at	timestamptz NOT NULL DEFAULT now()
);

-- The tiers of the shop's rules, lowest first (place 1: where members start).
CREATE TABLE IF NOT EXISTS vipledger.shop_tiers (
	shop	text NOT NULL,
	place	integer NOT NULL,
	tier	text NOT NULL,
	PRIMARY KEY (shop, place),
	UNIQUE (shop, tier)
);

CREATE TABLE IF NOT EXISTS vipledger.members (
	shop		text NOT NULL,
	line		bigint NOT NULL,
	at		timestamp NOT NULL,
	member		text NOT NULL,
	name		text NOT NULL,
	phone		text NOT NULL,
	birthday	text NOT NULL,
	gender		text NOT NULL,
	email		text NOT NULL,
	address		text NOT NULL,
	size		text NOT NULL,
	referrer	text NOT NULL,
	associate	text NOT NULL,
	store		text NOT NULL,
	contact		text NOT NULL,
	note		text NOT NULL,
	PRIMARY KEY (shop, line)
);

-- birthday_units and wallet are NULL in rows of a 0.1 sales.tsv.
CREATE TABLE IF NOT EXISTS vipledger.sales (
	shop		text NOT NULL,
	line		bigint NOT NULL,
	at		timestamp NOT NULL,
	receipt		text NOT NULL,
	member		text NOT NULL,
	kind		text NOT NULL,
	sale		text NOT NULL,
	goods		numeric(17,2) NOT NULL,
	points_used	bigint,
	paid		numeric(17,2) NOT NULL,
	earned		bigint,
	available_on	date NOT NULL,
	referrer	text NOT NULL,
	referral_points	bigint,
	tier		text NOT NULL,
	store		text NOT NULL,
	associate	text NOT NULL,
	items		text NOT NULL,
	note		text NOT NULL,
	birthday_units	bigint,
	wallet		numeric(17,2),
	PRIMARY KEY (shop, line)
);

CREATE TABLE IF NOT EXISTS vipledger.points (
	shop		text NOT NULL,
	line		bigint NOT NULL,
	at		timestamp NOT NULL,
	member		text NOT NULL,
	kind		text NOT NULL,
	points		bigint,
	available_on	date NOT NULL,
	ref		text NOT NULL,
	note		text NOT NULL,
	PRIMARY KEY (shop, line)
);

CREATE TABLE IF NOT EXISTS vipledger.tiers (
	shop		text NOT NULL,
	line		bigint NOT NULL,
	at		timestamp NOT NULL,
	member		text NOT NULL,
	event		text NOT NULL,
	"from"		text NOT NULL,
	"to"		text NOT NULL,
	since		date,
	expires		date,
	strikes		bigint,
	reason		text NOT NULL,
	PRIMARY KEY (shop, line)
);

CREATE TABLE IF NOT EXISTS vipledger.wallet (
	shop		text NOT NULL,
	line		bigint NOT NULL,
	at		timestamp NOT NULL,
	member		text NOT NULL,
	kind		text NOT NULL,
	amount		numeric(17,2) NOT NULL,
	ref		text NOT NULL,
	note		text NOT NULL,
	PRIMARY KEY (shop, line)
);

CREATE TABLE IF NOT EXISTS vipledger.notes (
	shop		text NOT NULL,
	line		bigint NOT NULL,
	at		timestamp NOT NULL,
	member		text NOT NULL,
	kind		text NOT NULL,
	staff		text NOT NULL,
	task		text NOT NULL,
	text		text NOT NULL,
	PRIMARY KEY (shop, line)
);

CREATE TABLE IF NOT EXISTS vipledger.staff (
	shop		text NOT NULL,
	line		bigint NOT NULL,
	staff		text NOT NULL,
	name		text NOT NULL,
	active		text NOT NULL,
	PRIMARY KEY (shop, line)
);

-- The ledger formats of SPEC section 2, as the programs read them: a
-- value they would refuse is refused here, where PostgreSQL alone would
-- take 'NaN', ' 12', '1e3' or 'today'.  NULL for NULL (an empty field).

-- 2026-03-01: a real day of a year from 0001.  (translate() and substr()
-- where a regular expression would take three times as long; the time's
-- date is checked in its own function by the same words, as one function
-- calling the other would not be inlined.)
CREATE OR REPLACE FUNCTION vipledger.is_ledger_date(s text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN s IS NULL THEN NULL
	    WHEN translate(s, '012345678', '999999999') = '9999-99-99' THEN
		substr(s, 1, 4) <> '0000' AND
		substr(s, 6, 2) COLLATE "C" BETWEEN '01' AND '12' AND
		substr(s, 9, 2) COLLATE "C" BETWEEN '01' AND '31' AND
		(substr(s, 9, 2) COLLATE "C" <= '28' OR
		extract(month FROM make_date(substr(s, 1, 4)::int,
		    substr(s, 6, 2)::int, 1) + (substr(s, 9, 2)::int - 1)) =
		    substr(s, 6, 2)::int)
	    ELSE false END
$$;

-- 2026-03-01T10:00:00: a real day and time of day.
CREATE OR REPLACE FUNCTION vipledger.is_ledger_time(s text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN s IS NULL THEN NULL
	    WHEN translate(s, '012345678', '999999999') =
		'9999-99-99T99:99:99' THEN
		substr(s, 12, 2) COLLATE "C" <= '23' AND
		substr(s, 15, 2) COLLATE "C" <= '59' AND
		substr(s, 18, 2) COLLATE "C" <= '59' AND
		substr(s, 1, 4) <> '0000' AND
		substr(s, 6, 2) COLLATE "C" BETWEEN '01' AND '12' AND
		substr(s, 9, 2) COLLATE "C" BETWEEN '01' AND '31' AND
		(substr(s, 9, 2) COLLATE "C" <= '28' OR
		extract(month FROM make_date(substr(s, 1, 4)::int,
		    substr(s, 6, 2)::int, 1) + (substr(s, 9, 2)::int - 1)) =
		    substr(s, 6, 2)::int)
	    ELSE false END
$$;

-- -459.50: a minus, 15 digits at most, exactly two decimals.
CREATE OR REPLACE FUNCTION vipledger.is_ledger_money(s text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT s ~ '^-?[0-9]{1,15}\.[0-9]{2}$'
$$;

-- Points and other whole numbers; an empty field (NULL) counts as 0.
CREATE OR REPLACE FUNCTION vipledger.is_ledger_int(s text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT s ~ '^-?[0-9]{1,15}$'
$$;

-- The loader's staging: a temporary table per ledger, every column text,
-- lineno counting the rows as COPY reads them (the file's line - 1), and
-- the lines of report rules.  Dropped at the end of the transaction.
CREATE OR REPLACE PROCEDURE vipledger.stage()
LANGUAGE plpgsql AS $$
BEGIN
	DROP TABLE IF EXISTS pg_temp.vl_rules, pg_temp.vl_members,
	    pg_temp.vl_sales, pg_temp.vl_points, pg_temp.vl_tiers,
	    pg_temp.vl_wallet, pg_temp.vl_notes, pg_temp.vl_staff;
	CREATE TEMP TABLE vl_rules (
		lineno bigint GENERATED ALWAYS AS IDENTITY, text text
	) ON COMMIT DROP;
	CREATE TEMP TABLE vl_members (
		lineno bigint GENERATED ALWAYS AS IDENTITY,
		at text, member text, name text, phone text, birthday text,
		gender text, email text, address text, size text,
		referrer text, associate text, store text, contact text,
		note text
	) ON COMMIT DROP;
	CREATE TEMP TABLE vl_sales (
		lineno bigint GENERATED ALWAYS AS IDENTITY,
		at text, receipt text, member text, kind text, sale text,
		goods text, points_used text, paid text, earned text,
		available_on text, referrer text, referral_points text,
		tier text, store text, associate text, items text, note text,
		birthday_units text, wallet text
	) ON COMMIT DROP;
	CREATE TEMP TABLE vl_points (
		lineno bigint GENERATED ALWAYS AS IDENTITY,
		at text, member text, kind text, points text,
		available_on text, ref text, note text
	) ON COMMIT DROP;
	CREATE TEMP TABLE vl_tiers (
		lineno bigint GENERATED ALWAYS AS IDENTITY,
		at text, member text, event text, "from" text, "to" text,
		since text, expires text, strikes text, reason text
	) ON COMMIT DROP;
	CREATE TEMP TABLE vl_wallet (
		lineno bigint GENERATED ALWAYS AS IDENTITY,
		at text, member text, kind text, amount text, ref text,
		note text
	) ON COMMIT DROP;
	CREATE TEMP TABLE vl_notes (
		lineno bigint GENERATED ALWAYS AS IDENTITY,
		at text, member text, kind text, staff text, task text,
		text text
	) ON COMMIT DROP;
	CREATE TEMP TABLE vl_staff (
		lineno bigint GENERATED ALWAYS AS IDENTITY,
		staff text, name text, active text
	) ON COMMIT DROP;
END
$$;

-- Raises FILE:LINE: WHY for the first bad row a check query finds.
CREATE OR REPLACE FUNCTION vipledger.refuse_first(p_shop text, p_file text,
    p_query text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_bad record;
BEGIN
	EXECUTE format('SELECT lineno + 1 AS l, why FROM (%s) q '
	    'WHERE why IS NOT NULL ORDER BY lineno LIMIT 1', p_query)
	    INTO v_bad;
	IF v_bad.l IS NOT NULL THEN
		RAISE EXCEPTION '%: %:%: %', p_shop, p_file, v_bad.l, v_bad.why;
	END IF;
END
$$;

-- Removes a shop and every row of it; false when there was none.
CREATE OR REPLACE FUNCTION vipledger.drop_shop(p_shop text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM vipledger.shop_tiers t WHERE t.shop = p_shop;
	DELETE FROM vipledger.members t WHERE t.shop = p_shop;
	DELETE FROM vipledger.sales t WHERE t.shop = p_shop;
	DELETE FROM vipledger.points t WHERE t.shop = p_shop;
	DELETE FROM vipledger.tiers t WHERE t.shop = p_shop;
	DELETE FROM vipledger.wallet t WHERE t.shop = p_shop;
	DELETE FROM vipledger.notes t WHERE t.shop = p_shop;
	DELETE FROM vipledger.staff t WHERE t.shop = p_shop;
	DELETE FROM vipledger.shops t WHERE t.shop = p_shop;
	RETURN FOUND;
END
$$;

-- Replaces the shop's rows with those staged, after checking them; gives
-- back shop and the rows taken from each ledger, tab-separated.
CREATE OR REPLACE FUNCTION vipledger.load_shop(p_shop text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_rate bigint;
	v_n bigint[] := '{}';
	v_c bigint;
	c_time constant text :=
	    'field 1 is not a time like 2026-03-01T10:00:00';
BEGIN
	IF p_shop IS NULL OR p_shop !~ '^[A-Za-z0-9._-]{1,64}$' THEN
		RAISE EXCEPTION 'shop id %: 1 to 64 letters, digits, -, _ or .',
		    p_shop;
	END IF;
	SELECT substring(r.text FROM '^redeem_rate\s+([0-9]{1,15})\s*$')::bigint
	    INTO v_rate FROM pg_temp.vl_rules r WHERE r.text ~ '^redeem_rate\s';
	IF v_rate IS NULL OR v_rate < 1 THEN
		RAISE EXCEPTION '%: report rules gave no redeem_rate', p_shop;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_temp.vl_rules r
	    WHERE r.text ~ '^tier\s+\S') THEN
		RAISE EXCEPTION '%: report rules gave no tier', p_shop;
	END IF;

	PERFORM vipledger.refuse_first(p_shop, 'members.tsv', format($q$
	    SELECT lineno, CASE
		WHEN NOT coalesce(vipledger.is_ledger_time(at), false) THEN %L
		WHEN member IS NULL THEN 'member: an empty member id'
	    END AS why FROM pg_temp.vl_members $q$, c_time));
	PERFORM vipledger.refuse_first(p_shop, 'sales.tsv', format($q$
	    SELECT lineno, CASE
		WHEN NOT coalesce(vipledger.is_ledger_time(at), false) THEN %L
		WHEN NOT coalesce(vipledger.is_ledger_money(goods), false)
		    THEN 'field 6 (goods) is not an amount like 1280.50'
		WHEN NOT coalesce(vipledger.is_ledger_money(paid), false)
		    THEN 'field 8 (paid) is not an amount like 1280.50'
		WHEN NOT vipledger.is_ledger_int(points_used)
		    THEN 'field 7 (points_used) is not a whole number'
		WHEN NOT vipledger.is_ledger_int(earned)
		    THEN 'field 9 (earned) is not a whole number'
		WHEN NOT vipledger.is_ledger_int(referral_points)
		    THEN 'field 12 (referral_points) is not a whole number'
		WHEN NOT coalesce(vipledger.is_ledger_date(available_on), false)
		    THEN 'field 10 (available_on) is not a date like 2026-03-01'
		WHEN kind IS NULL OR kind NOT IN ('sale', 'return')
		    THEN format('kind %%s is neither sale nor return',
			coalesce(kind, ''))
		WHEN NOT vipledger.is_ledger_int(birthday_units)
		    THEN 'field 18 (birthday_units) is not a whole number'
		WHEN NOT vipledger.is_ledger_money(wallet)
		    THEN 'field 19 (wallet) is not an amount like 1280.50'
	    END AS why FROM pg_temp.vl_sales $q$, c_time));
	PERFORM vipledger.refuse_first(p_shop, 'points.tsv', format($q$
	    SELECT lineno, CASE
		WHEN NOT coalesce(vipledger.is_ledger_time(at), false) THEN %L
		WHEN NOT vipledger.is_ledger_int(points)
		    THEN 'field 4 (points) is not a whole number'
		WHEN NOT coalesce(vipledger.is_ledger_date(available_on), false)
		    THEN 'field 5 (available_on) is not a date like 2026-03-01'
	    END AS why FROM pg_temp.vl_points $q$, c_time));
	PERFORM vipledger.refuse_first(p_shop, 'tiers.tsv', format($q$
	    SELECT lineno, CASE
		WHEN NOT coalesce(vipledger.is_ledger_time(at), false) THEN %L
		WHEN octet_length("from") > 63 OR octet_length("to") > 63
		    THEN 'a tier name is longer than 63 bytes'
		WHEN NOT vipledger.is_ledger_date(since)
		    THEN 'field 6 (since) is not a date like 2026-03-01'
		WHEN NOT vipledger.is_ledger_date(expires)
		    THEN 'field 7 (expires) is not a date like 2026-03-01'
		WHEN NOT vipledger.is_ledger_int(strikes)
		    THEN 'field 8 (strikes) is not a whole number'
	    END AS why FROM pg_temp.vl_tiers $q$, c_time));
	PERFORM vipledger.refuse_first(p_shop, 'wallet.tsv', format($q$
	    SELECT lineno, CASE
		WHEN NOT coalesce(vipledger.is_ledger_time(at), false) THEN %L
		WHEN NOT coalesce(vipledger.is_ledger_money(amount), false)
		    THEN 'field 4 (amount) is not an amount like 1280.50'
	    END AS why FROM pg_temp.vl_wallet $q$, c_time));
	PERFORM vipledger.refuse_first(p_shop, 'notes.tsv', format($q$
	    SELECT lineno, CASE
		WHEN NOT coalesce(vipledger.is_ledger_time(at), false) THEN %L
	    END AS why FROM pg_temp.vl_notes $q$, c_time));
	PERFORM vipledger.refuse_first(p_shop, 'staff.tsv', $q$
	    SELECT lineno, CASE
		WHEN active IS NULL OR active NOT IN ('yes', 'no')
		    THEN format('active is %s, not yes or no',
			coalesce(active, ''))
	    END AS why FROM pg_temp.vl_staff $q$);

	PERFORM vipledger.drop_shop(p_shop);
	INSERT INTO vipledger.shops (shop, redeem_rate, rules)
	SELECT p_shop, v_rate, coalesce(string_agg(coalesce(r.text, '') || E'\n',
	    '' ORDER BY r.lineno), '') FROM pg_temp.vl_rules r;
	INSERT INTO vipledger.shop_tiers (shop, place, tier)
	SELECT p_shop, row_number() OVER (ORDER BY r.lineno),
	    substring(r.text FROM '^tier\s+(\S+)')
	FROM pg_temp.vl_rules r WHERE r.text ~ '^tier\s+\S';

	INSERT INTO vipledger.members
	SELECT p_shop, s.lineno + 1, s.at::timestamp, s.member,
	    coalesce(s.name, ''), coalesce(s.phone, ''),
	    coalesce(s.birthday, ''), coalesce(s.gender, ''),
	    coalesce(s.email, ''), coalesce(s.address, ''),
	    coalesce(s.size, ''), coalesce(s.referrer, ''),
	    coalesce(s.associate, ''), coalesce(s.store, ''),
	    coalesce(s.contact, ''), coalesce(s.note, '')
	FROM pg_temp.vl_members s;
	GET DIAGNOSTICS v_c = ROW_COUNT;
	v_n := v_n || v_c;
	INSERT INTO vipledger.sales
	SELECT p_shop, s.lineno + 1, s.at::timestamp,
	    coalesce(s.receipt, ''), coalesce(s.member, ''), s.kind,
	    coalesce(s.sale, ''), s.goods::numeric, s.points_used::bigint,
	    s.paid::numeric, s.earned::bigint, s.available_on::date,
	    coalesce(s.referrer, ''), s.referral_points::bigint,
	    coalesce(s.tier, ''), coalesce(s.store, ''),
	    coalesce(s.associate, ''), coalesce(s.items, ''),
	    coalesce(s.note, ''), s.birthday_units::bigint, s.wallet::numeric
	FROM pg_temp.vl_sales s;
	GET DIAGNOSTICS v_c = ROW_COUNT;
	v_n := v_n || v_c;
	INSERT INTO vipledger.points
	SELECT p_shop, s.lineno + 1, s.at::timestamp,
	    coalesce(s.member, ''), coalesce(s.kind, ''), s.points::bigint,
	    s.available_on::date, coalesce(s.ref, ''), coalesce(s.note, '')
	FROM pg_temp.vl_points s;
	GET DIAGNOSTICS v_c = ROW_COUNT;
	v_n := v_n || v_c;
	INSERT INTO vipledger.tiers
	SELECT p_shop, s.lineno + 1, s.at::timestamp,
	    coalesce(s.member, ''), coalesce(s.event, ''),
	    coalesce(s."from", ''), coalesce(s."to", ''), s.since::date,
	    s.expires::date, s.strikes::bigint, coalesce(s.reason, '')
	FROM pg_temp.vl_tiers s;
	GET DIAGNOSTICS v_c = ROW_COUNT;
	v_n := v_n || v_c;
	INSERT INTO vipledger.wallet
	SELECT p_shop, s.lineno + 1, s.at::timestamp,
	    coalesce(s.member, ''), coalesce(s.kind, ''), s.amount::numeric,
	    coalesce(s.ref, ''), coalesce(s.note, '')
	FROM pg_temp.vl_wallet s;
	GET DIAGNOSTICS v_c = ROW_COUNT;
	v_n := v_n || v_c;
	INSERT INTO vipledger.notes
	SELECT p_shop, s.lineno + 1, s.at::timestamp,
	    coalesce(s.member, ''), coalesce(s.kind, ''),
	    coalesce(s.staff, ''), coalesce(s.task, ''), coalesce(s.text, '')
	FROM pg_temp.vl_notes s;
	GET DIAGNOSTICS v_c = ROW_COUNT;
	v_n := v_n || v_c;
	INSERT INTO vipledger.staff
	SELECT p_shop, s.lineno + 1, coalesce(s.staff, ''),
	    coalesce(s.name, ''), s.active
	FROM pg_temp.vl_staff s;
	GET DIAGNOSTICS v_c = ROW_COUNT;
	v_n := v_n || v_c;
	RETURN p_shop || E'\t' || array_to_string(v_n, E'\t');
END
$$;

-- report sales --by month, as of d: rows counted by their own at (the
-- month of at, up to d); members = distinct members.  Each shop's months,
-- then the chain's (shop NULL), months ascending.
CREATE OR REPLACE FUNCTION vipledger.chain_sales(d date DEFAULT current_date)
RETURNS TABLE (shop text, month text, sales bigint, returns bigint,
    goods numeric, paid numeric, earned numeric, points_used numeric,
    members bigint)
LANGUAGE sql STABLE STRICT AS $$
	WITH per AS (
		SELECT s.shop AS sh, to_char(s.at, 'YYYY-MM') AS mo,
		    count(*) FILTER (WHERE s.kind <> 'return') AS n_sales,
		    count(*) FILTER (WHERE s.kind = 'return') AS n_returns,
		    sum(s.goods) AS s_goods, sum(s.paid) AS s_paid,
		    coalesce(sum(s.earned), 0) AS s_earned,
		    coalesce(sum(s.points_used), 0) AS s_used,
		    count(DISTINCT s.member) AS n_members
		FROM vipledger.sales s
		WHERE s.at < d + 1
		GROUP BY s.shop, to_char(s.at, 'YYYY-MM')
	)
	SELECT x.sh, x.mo, x.n_sales, x.n_returns, x.s_goods, x.s_paid,
	    x.s_earned, x.s_used, x.n_members
	FROM (
		SELECT per.* FROM per
		UNION ALL
		SELECT NULL, per.mo, sum(per.n_sales)::bigint,
		    sum(per.n_returns)::bigint, sum(per.s_goods),
		    sum(per.s_paid), sum(per.s_earned), sum(per.s_used),
		    sum(per.n_members)::bigint
		FROM per GROUP BY per.mo
	) x
	ORDER BY x.sh COLLATE "C" NULLS LAST, x.mo COLLATE "C"
$$;

-- report liability, as of d: over the members joined by d, available =
-- earned and referral points available by d, less points used, plus
-- points.tsv points available by d; pending = earned and referral points
-- available after d (rows dated after d left out); value = available in
-- money at the shop's redeem_rate, rounded down to the cent; wallet = the
-- stored value owed.  The chain's value is the sum of the shops'.
CREATE OR REPLACE FUNCTION vipledger.chain_liability(d date DEFAULT current_date)
RETURNS TABLE (shop text, available numeric, pending numeric, value numeric,
    wallet numeric)
LANGUAGE sql STABLE STRICT AS $$
	WITH j AS (
		SELECT DISTINCT m.shop AS sh, m.member AS mem
		FROM vipledger.members m WHERE m.at < d + 1
	), pts AS (
		SELECT s.shop AS sh,
		    CASE WHEN s.available_on <= d THEN coalesce(s.earned, 0)
			ELSE 0 END - coalesce(s.points_used, 0) AS av,
		    CASE WHEN s.available_on > d THEN coalesce(s.earned, 0)
			ELSE 0 END AS pe
		FROM vipledger.sales s
		JOIN j ON j.sh = s.shop AND j.mem = s.member
		WHERE s.at < d + 1
		UNION ALL
		SELECT s.shop,
		    CASE WHEN s.available_on <= d
			THEN coalesce(s.referral_points, 0) ELSE 0 END,
		    CASE WHEN s.available_on > d
			THEN coalesce(s.referral_points, 0) ELSE 0 END
		FROM vipledger.sales s
		JOIN j ON j.sh = s.shop AND j.mem = s.referrer
		WHERE s.at < d + 1
		UNION ALL
		SELECT p.shop, coalesce(p.points, 0), 0
		FROM vipledger.points p
		JOIN j ON j.sh = p.shop AND j.mem = p.member
		WHERE p.at < d + 1 AND p.available_on <= d
	), owed AS (
		SELECT w.shop AS sh, w.amount AS amt
		FROM vipledger.wallet w
		JOIN j ON j.sh = w.shop AND j.mem = w.member
		WHERE w.at < d + 1
		UNION ALL
		SELECT s.shop, -s.wallet
		FROM vipledger.sales s
		JOIN j ON j.sh = s.shop AND j.mem = s.member
		WHERE s.at < d + 1 AND s.wallet IS NOT NULL
	), per AS (
		SELECT p.shop AS sh, p.redeem_rate AS rate,
		    coalesce(a.av, 0) AS av, coalesce(a.pe, 0) AS pe,
		    coalesce(o.amt, 0.00) AS amt
		FROM vipledger.shops p
		LEFT JOIN (SELECT pts.sh, sum(pts.av) AS av, sum(pts.pe) AS pe
		    FROM pts GROUP BY pts.sh) a ON a.sh = p.shop
		LEFT JOIN (SELECT owed.sh, sum(owed.amt) AS amt
		    FROM owed GROUP BY owed.sh) o ON o.sh = p.shop
	), valued AS (
		-- cents = floor(available * 100 / rate), in whole numbers:
		-- div() rounds toward zero, so a negative remainder takes 1 off
		SELECT per.sh, per.av, per.pe, per.amt,
		    (div(per.av * 100, per.rate) - CASE WHEN
			mod(per.av * 100, per.rate) < 0 THEN 1 ELSE 0 END) * 0.01
			AS val
		FROM per
	)
	SELECT x.sh, x.av, x.pe, x.val, x.amt
	FROM (
		SELECT v.sh, v.av, v.pe, v.val, v.amt FROM valued v
		UNION ALL
		SELECT NULL, coalesce(sum(v.av), 0), coalesce(sum(v.pe), 0),
		    coalesce(sum(v.val), 0.00), coalesce(sum(v.amt), 0.00)
		FROM valued v
	) x
	ORDER BY x.sh COLLATE "C" NULLS LAST
$$;

-- report tiers, as of d: the members joined by d by tier, a member's tier
-- being the "to" of her last tiers.tsv row (in file order) dated by d,
-- else the shop's lowest.  Each shop's tiers as its rules list them, zeros
-- included, then the tiers its rules no longer define, by name; then the
-- chain's (shop NULL): the tiers in the order the shops list them, shop by
-- shop, then the rest by name.
CREATE OR REPLACE FUNCTION vipledger.chain_tiers(d date DEFAULT current_date)
RETURNS TABLE (shop text, tier text, members bigint)
LANGUAGE sql STABLE STRICT AS $$
	WITH j AS (
		SELECT DISTINCT m.shop AS sh, m.member AS mem
		FROM vipledger.members m WHERE m.at < d + 1
	), lastrow AS (
		SELECT DISTINCT ON (t.shop, t.member) t.shop AS sh,
		    t.member AS mem, t."to" AS tr
		FROM vipledger.tiers t WHERE t.at < d + 1
		ORDER BY t.shop, t.member, t.line DESC
	), counts AS (
		SELECT j.sh, coalesce(l.tr, low.tier) AS tr, count(*) AS n
		FROM j
		LEFT JOIN lastrow l ON l.sh = j.sh AND l.mem = j.mem
		JOIN vipledger.shop_tiers low ON low.shop = j.sh AND low.place = 1
		GROUP BY j.sh, coalesce(l.tr, low.tier)
	), per AS (
		SELECT st.shop AS sh, st.tier AS tr, st.place AS pl,
		    coalesce(c.n, 0) AS n
		FROM vipledger.shop_tiers st
		LEFT JOIN counts c ON c.sh = st.shop AND c.tr = st.tier
		UNION ALL
		SELECT c.sh, c.tr, NULL, c.n
		FROM counts c
		WHERE NOT EXISTS (SELECT 1 FROM vipledger.shop_tiers st
		    WHERE st.shop = c.sh AND st.tier = c.tr)
	), firstdef AS (
		SELECT DISTINCT ON (per.tr) per.tr, per.sh, per.pl
		FROM per WHERE per.pl IS NOT NULL
		ORDER BY per.tr, per.sh COLLATE "C", per.pl
	)
	SELECT x.sh, x.tr, x.n
	FROM (
		SELECT per.sh, per.tr, per.n::bigint AS n, per.sh AS k1,
		    per.pl AS k2
		FROM per
		UNION ALL
		SELECT NULL, per.tr, sum(per.n)::bigint, f.sh, f.pl
		FROM per LEFT JOIN firstdef f ON f.tr = per.tr
		GROUP BY per.tr, f.sh, f.pl
	) x
	ORDER BY x.sh COLLATE "C" NULLS LAST, x.k1 COLLATE "C" NULLS LAST,
	    x.k2 NULLS LAST, x.tr COLLATE "C"
$$;

COMMENT ON FUNCTION vipledger.chain_sales(date) IS
    'report sales --by month as of the day, per shop and for the chain (shop NULL)';
COMMENT ON FUNCTION vipledger.chain_liability(date) IS
    'report liability as of the day, per shop and for the chain (shop NULL)';
COMMENT ON FUNCTION vipledger.chain_tiers(date) IS
    'report tiers as of the day, per shop and for the chain (shop NULL)';
