SELECT date_trunc('hour', requests.ts) AS hour, count(*) AS calls, sum(requests.output_tokens) AS output_tokens 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND requests.model = %(model_1)s AND requests.api_key_id = %(api_key_id_1)s GROUP BY date_trunc('hour', requests.ts) ORDER BY date_trunc('hour', requests.ts)
