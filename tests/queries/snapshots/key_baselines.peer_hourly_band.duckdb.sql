SELECT per_key.hour, quantile_cont(per_key.calls, %(quantile_1)s) AS p50, quantile_cont(per_key.calls, %(quantile_2)s) AS p90, quantile_cont(per_key.calls, %(quantile_3)s) AS p99, count(*) AS active_keys 
FROM (SELECT rollup_key_hours.hour AS hour, rollup_key_hours.api_key_id AS api_key_id, CAST(coalesce(sum(rollup_key_hours.calls), %(coalesce_1)s) AS BIGINT) AS calls 
FROM rollup_key_hours 
WHERE rollup_key_hours.hour >= %(hour_1)s AND rollup_key_hours.hour < %(hour_2)s AND rollup_key_hours.model = %(model_1)s GROUP BY rollup_key_hours.hour, rollup_key_hours.api_key_id) AS per_key GROUP BY per_key.hour ORDER BY per_key.hour
