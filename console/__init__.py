"""The agent's screen (坐席工作台): a static web console over the platform's API."""
