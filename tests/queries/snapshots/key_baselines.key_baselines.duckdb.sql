SELECT rollup_key_hours.hour, CAST(coalesce(sum(rollup_key_hours.calls), %(coalesce_1)s) AS BIGINT) AS calls, CAST(coalesce(sum(rollup_key_hours.output_tokens), %(coalesce_2)s) AS BIGINT) AS output_tokens 
FROM rollup_key_hours 
WHERE rollup_key_hours.hour >= %(hour_1)s AND rollup_key_hours.hour < %(hour_2)s AND rollup_key_hours.model = %(model_1)s AND rollup_key_hours.api_key_id = %(api_key_id_1)s GROUP BY rollup_key_hours.hour ORDER BY rollup_key_hours.hour
