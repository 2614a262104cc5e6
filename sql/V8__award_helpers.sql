-- The zone a user's calendar days are counted in: their own, or UTC when PostgreSQL does not know
-- it, so a bad users.time_zone can never fail an award or a progress read. Bare offsets fall back
-- too (PostgreSQL reads '+01:00' with the POSIX sign, the opposite of ISO 8601's), and so do Java's
-- SystemV/* ids, which PostgreSQL would read as POSIX rules rather than reject.
CREATE FUNCTION calendar_zone(zone text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    IF zone ~ '^[+-]' OR zone LIKE 'SystemV/%' THEN
        RETURN 'UTC';
    END IF;
    PERFORM now() AT TIME ZONE zone;
    RETURN zone;
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN 'UTC';
END $$;

-- Fails the statement, and so its transaction, unless ok: lets a statement sent ahead of its
-- transaction's COMMIT refuse to let the commit happen.
CREATE FUNCTION must_hold(ok boolean, message text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF ok IS NOT TRUE THEN
        RAISE EXCEPTION '%', message USING ERRCODE = 'check_violation';
    END IF;
    RETURN true;
END $$;
