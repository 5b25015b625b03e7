SELECT requests.model, count(*) AS calls 
FROM requests GROUP BY requests.model ORDER BY count(*) DESC, requests.model
