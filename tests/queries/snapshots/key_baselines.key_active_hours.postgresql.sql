SELECT date_trunc('day', requests.ts) AS day, CAST(EXTRACT(HOUR FROM requests.ts) AS INTEGER) AS hour_of_day, count(*) AS calls 
FROM requests 
WHERE requests.ts >= %(ts_1)s::TIMESTAMP WITH TIME ZONE AND requests.ts < %(ts_2)s::TIMESTAMP WITH TIME ZONE AND requests.model = %(model_1)s::VARCHAR AND requests.api_key_id = %(api_key_id_1)s::VARCHAR GROUP BY date_trunc('day', requests.ts), CAST(EXTRACT(HOUR FROM requests.ts) AS INTEGER) ORDER BY date_trunc('day', requests.ts), CAST(EXTRACT(HOUR FROM requests.ts) AS INTEGER)
