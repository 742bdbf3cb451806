"""Login, users, units over HTTP."""

from tests.conftest import Api


async def test_login_with_the_right_password_gives_a_working_token(api: Api) -> None:
    response = await api.client.post("/auth/login",
                                     json={"username": "agent", "password": "password"})
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    me = await api.client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["role"] == "agent"


async def test_login_with_a_wrong_password_is_refused(api: Api) -> None:
    response = await api.client.post("/auth/login",
                                     json={"username": "agent", "password": "nope"})
    assert response.status_code == 401
    assert response.json()["error_id"] == "bad-credentials"


async def test_a_disabled_user_is_locked_out_at_once(api: Api) -> None:
    users = (await api.call("GET", "/users")).json()
    agent = next(u for u in users if u["username"] == "agent")
    assert (await api.call("GET", "/tickets", "agent")).status_code == 200
    await api.call("POST", f"/users/{agent['id']}/disable")
    locked = await api.call("GET", "/tickets", "agent")
    assert locked.status_code == 401
    again = await api.client.post("/auth/login",
                                  json={"username": "agent", "password": "password"})
    assert again.status_code == 401


async def test_unit_handler_needs_a_unit(api: Api) -> None:
    response = await api.call("POST", "/users", json={
        "username": "lost", "password": "long-enough", "role": "unit_handler"})
    assert response.status_code == 422
    assert response.json()["error_id"] == "unit-required"


async def test_duplicate_unit_code_is_a_conflict(api: Api) -> None:
    response = await api.call("POST", "/units", json={"code": "water", "name": "另一个水务"})
    assert response.status_code == 409
    assert response.json()["error_id"] == "unit-exists"


async def test_units_carry_duty_and_holiday_numbers(api: Api) -> None:
    created = await api.call("POST", "/units", json={
        "code": "gas", "name": "燃气公司", "duties": "燃气供应、抢修",
        "territory": ["东昌区", "二道江区"], "contact_phone": "0435-3210000",
        "duty_phone": "0435-3219999"})
    assert created.status_code == 201
    listed = (await api.call("GET", "/units", "agent")).json()
    gas = next(u for u in listed if u["code"] == "gas")
    assert gas["duty_phone"] == "0435-3219999" and gas["territory"] == ["东昌区", "二道江区"]
