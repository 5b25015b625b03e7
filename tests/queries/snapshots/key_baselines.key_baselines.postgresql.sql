SELECT date_trunc('hour', requests.ts) AS hour, count(*) AS calls, sum(requests.output_tokens) AS output_tokens 
FROM requests 
WHERE requests.ts >= %(ts_1)s::TIMESTAMP WITH TIME ZONE AND requests.ts < %(ts_2)s::TIMESTAMP WITH TIME ZONE AND requests.model = %(model_1)s::VARCHAR AND requests.api_key_id = %(api_key_id_1)s::VARCHAR GROUP BY date_trunc('hour', requests.ts) ORDER BY date_trunc('hour', requests.ts)
