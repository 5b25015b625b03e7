SELECT coalesce(requests.capability, %(param_1)s) AS capability, count(*) AS calls, count(CASE WHEN (requests.cot IS true) THEN %(param_2)s END) AS cot_calls 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND requests.model = %(model_1)s AND requests.api_key_id = %(api_key_id_1)s GROUP BY coalesce(requests.capability, %(param_1)s) ORDER BY count(*) DESC
