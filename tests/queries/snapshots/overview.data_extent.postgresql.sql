SELECT min(rollup_account_hours.first_ts) AS first_ts, max(rollup_account_hours.last_ts) AS last_ts, CAST(coalesce(sum(rollup_account_hours.calls), %(coalesce_1)s::INTEGER) AS BIGINT) AS requests 
FROM rollup_account_hours
