#!/usr/bin/python3
"""The secretary's path through the web app in headless Chromium (Debian's
chromium + chromium-driver + python3-selenium): sign in, paste a plan with two
mistakes, see both lines marked, fix them, preview, publish, open the page at
390 px and 1280 px, and print it to PDF as a read-link holder. Each step is
checked; screenshots and the PDF are kept in ARTIFACTS.

usage: editor_browser.py BASE_URL ADMIN_TOKEN ARTIFACTS
Exit 0 when every step held; otherwise the failed step on stderr."""

import base64
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, TOKEN, ARTIFACTS = sys.argv[1], sys.argv[2], sys.argv[3]

MISTAKES = """plan: 测试支部 2026 年工作计划
id: browser-2026
year: 2026
people:
  - {id: zhang, name: 张青}
  - {id: li, name: 李明}
activities:
  - id: congress
    title: 党员大会
    kind: meeting
    when: 2月30日
    attendees: [zhang, li]
  - id: lecture
    titel: 专题党课
    when: 3月
  - id: dues
    title: 收取党费
    kind: dues
    repeat: [5月, 11月]
    duration: 1d
"""
FIXED = MISTAKES.replace("2月30日", "2月下旬").replace("titel:", "title:")


def step(name):
    print("step:", name, flush=True)


def shot(driver, name):
    driver.save_screenshot(os.path.join(ARTIFACTS, name))


def paste(driver, text):
    """What a paste does: the whole text at once, then one input event."""
    driver.execute_script(
        "const t = document.getElementById('text'); t.value = arguments[0];"
        "t.dispatchEvent(new Event('input', {bubbles: true}));", text)


def bad_lines(driver):
    return [int(e.get_attribute("data-line"))
            for e in driver.find_elements(By.CSS_SELECTOR, "#gutter span.bad")]


def anonymous_status(path_or_url):
    """The status a reader with no session gets (urllib keeps no cookie)."""
    url = path_or_url if path_or_url.startswith("http") else BASE + path_or_url
    try:
        with urllib.request.urlopen(url) as answer:
            return answer.status
    except urllib.error.HTTPError as e:
        return e.code


def admin_post(path):
    request = urllib.request.Request(BASE + path, data=b"", method="POST",
                                     headers={"Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read())


def main():
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking", "--lang=zh-CN",
                 "--window-size=1280,1000"):
        options.add_argument(flag)
    # --lang alone leaves headless Chromium asking for English pages.
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    wait = WebDriverWait(driver, 20)
    try:
        step("sign in")
        driver.get(BASE + "/new")  # not signed in: sent to the sign-in form, then back
        wait.until(lambda d: d.find_elements(By.ID, "token"))
        shot(driver, "signin.png")
        driver.find_element(By.ID, "token").send_keys(TOKEN)
        driver.find_element(By.CSS_SELECTOR, "#signin button").click()
        wait.until(lambda d: d.current_url == BASE + "/new")
        cookie = driver.get_cookie("xun_session")
        assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict", cookie

        step("start from a template: a seed plan, checked")
        Select(driver.find_element(By.ID, "template")).select_by_value("party-branch-2026.yaml")
        wait.until(lambda d: "ok" in d.find_element(By.ID, "status").get_attribute("class"))
        assert "shiba-branch-2026" in driver.find_element(By.ID, "text").get_attribute("value")
        shot(driver, "editor-template.png")

        step("paste a plan with two mistakes: both lines are marked")
        paste(driver, MISTAKES)
        # 2月30日 on line 11; `titel` on line 14 (which also leaves line 13's activity untitled).
        wait.until(lambda d: {11, 14} <= set(bad_lines(d)))
        assert set(bad_lines(driver)) <= {11, 13, 14}, bad_lines(driver)
        problems = driver.find_element(By.ID, "problems").text
        assert "第 11 行" in problems and "第 14 行" in problems, problems
        shot(driver, "editor-two-mistakes.png")

        step("fix them: no problems, a summary")
        paste(driver, FIXED)
        wait.until(lambda d: "ok" in d.find_element(By.ID, "status").get_attribute("class"))
        assert bad_lines(driver) == []
        status = driver.find_element(By.ID, "status").text
        assert "4 次安排" in status, status

        step("preview month by month")
        driver.find_element(By.ID, "preview-button").click()
        wait.until(lambda d: d.find_elements(By.ID, "preview-month-11"))
        months = driver.find_element(By.ID, "months").text
        assert "2月" in months and "党员大会" in months and "11月" in months, months
        shot(driver, "editor-preview.png")

        step("publish")
        driver.find_element(By.ID, "publish-button").click()
        wait.until(lambda d: d.current_url == BASE + "/plans/browser-2026")
        wait.until(lambda d: d.find_elements(By.ID, "month-12"))
        shot(driver, "page-1280.png")
        driver.set_window_size(390, 844)
        driver.refresh()
        wait.until(lambda d: d.find_elements(By.ID, "month-12"))
        width = driver.execute_script("return document.documentElement.scrollWidth")
        shot(driver, "page-390.png")
        assert width <= 400, "the page is %d px wide on a 390 px phone" % width

        step("the signed-in admin shares the plan from its page: read link, public, private")
        driver.set_window_size(1280, 1000)
        driver.refresh()
        state = lambda: driver.find_element(By.ID, "sharing-state").text
        wait.until(lambda d: "私有" in state())
        assert "没有阅读链接" in state(), state()
        driver.find_element(By.ID, "new-read-link").click()
        wait.until(lambda d: d.find_element(By.ID, "read-link").get_attribute("value"))
        shared = driver.find_element(By.ID, "read-link").get_attribute("value")
        assert "/plans/browser-2026?read=" in shared, shared
        wait.until(lambda d: "有一个阅读链接在用" in state())
        shot(driver, "page-sharing.png")
        assert anonymous_status(shared) == 200, "the read link opens the plan"
        assert anonymous_status("/plans/browser-2026") == 404, "private without it"
        driver.find_element(By.ID, "make-public").click()
        wait.until(lambda d: "公开" in state())
        assert anonymous_status("/plans/browser-2026") == 200, "public: anyone reads it"
        driver.find_element(By.ID, "make-private").click()
        wait.until(lambda d: "私有" in state())
        assert anonymous_status("/plans/browser-2026") == 404, "private again"
        driver.find_element(By.ID, "revoke-read-link").click()
        wait.until(lambda d: "没有阅读链接" in state())
        assert anonymous_status(shared) == 404, "a revoked link reads nothing"
        # Signed in, the record form needs no token: the session and its CSRF token.
        assert not driver.find_element(By.ID, "record-token").is_displayed()

        step("edit it: the preview says what would move")
        driver.get(BASE + "/plans/browser-2026/edit")
        wait.until(lambda d: "ok" in d.find_element(By.ID, "status").get_attribute("class"))
        paste(driver, FIXED.replace("when: 3月", "when: 4月"))
        driver.find_element(By.ID, "preview-button").click()
        wait.until(lambda d: "会移动" in d.find_element(By.ID, "moves").text)
        moves = driver.find_element(By.ID, "moves").text
        assert "专题党课，3月17日（周二） 09:00 → 4月" in moves, moves
        # The months show the schedule the change would publish, the moved day included.
        day = moves.split("→ ")[1].split(" ")[0]
        assert day in driver.find_element(By.ID, "preview-month-4").text, day
        shot(driver, "editor-moves.png")

        step("a read link's holder prints the page: no secret on paper")
        link = admin_post("/api/plans/browser-2026/read-link")["read_link"]
        driver.delete_all_cookies()  # not the admin any more
        driver.set_window_size(1280, 1000)
        driver.get(link)
        wait.until(lambda d: d.find_elements(By.ID, "month-12"))
        # The secret left the address bar (a cookie holds it): the footer prints no secret.
        assert driver.current_url == BASE + "/plans/browser-2026", driver.current_url
        assert driver.find_elements(By.ID, "download-xlsx")
        pdf = base64.b64decode(driver.print_page(PrintOptions()))
        pdf_file = os.path.join(ARTIFACTS, "plan-page.pdf")
        with open(pdf_file, "wb") as out:
            out.write(pdf)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf_file, "-"], check=True,
                              capture_output=True, text=True).stdout
        assert "党员大会" in text, text[:500]
        # The plan's own document: by quarter and month, numbered, dates as
        # plans write them, and no ids.
        for words in ("第一季度", "第四季度", "1、", "（周", "上午9:00"):
            assert words in text, words + " not in the printed plan: " + text[:800]
        assert "browser-2026" not in text, "the plan's id is printed"
        assert "本季度无安排" in text or "二月份" in text or "三月份" in text, text[:800]
        for secret in ("key=", "read=", link.split("read=")[1]):
            assert secret not in text, "the printed page shows " + secret
            assert secret.encode() not in pdf, "the PDF links to " + secret
    except Exception:
        shot(driver, "failure.png")
        raise
    finally:
        driver.quit()
    print("all steps held")


if __name__ == "__main__":
    main()
