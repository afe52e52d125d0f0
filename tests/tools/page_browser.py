#!/usr/bin/python3
"""Drives the plan page in headless Chromium (Debian's chromium-driver and
python3-selenium) for tests/http/browser_test.cpp: checks the living year on
the page (records, progress, the phone list), fills and submits the record
form, and keeps screenshots as test artefacts.

    page_browser.py CONFIG.json

CONFIG: {"url": the owner's page (with ?key=), "token": the admin token,
"artifacts": a directory, "done": {"occ": "study#0", "text": "✓ 7/8"},
"cancelled": "study#1", "not_recorded": "assign-tasks#0", "today": "2026-06-15",
"earned": "16", "possible": "90", "quota": {"activity": "study", "done": "1",
"quota": "4"}, "record": {"occ": "assign-tasks#0", "leave": "director",
"absent": "deputy", "text": "✓ 6/8"}, "bad_record": "briefing#1"}
Exit 0 when every check holds; otherwise 1, naming the check that failed.
"""
import base64
import json
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAILED: " + what, file=sys.stderr)
    return condition


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--accept-lang=zh-CN,zh", "--lang=zh-CN",
                "--window-size=1280,1000"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def viewport(driver, width, height):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1,
                            "mobile": width < 600})


def full_page(driver, path):
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    with open(path, "wb") as out:
        out.write(base64.b64decode(shot["data"]))


def element_shot(driver, element, path):
    """The whole element, even when it is taller than the window."""
    box = driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height};",
        element)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True, "clip": dict(box, scale=1)})
    with open(path, "wb") as out:
        out.write(base64.b64decode(shot["data"]))


def occurrence(driver, occ):
    found = driver.find_elements(By.CSS_SELECTOR, 'details[data-occurrence="%s"]' % occ)
    check(found, "the page shows occurrence " + occ)
    return found[0] if found else None


def text_of(driver, css):
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return found[0].get_attribute("textContent").strip() if found else None


def check_living_year(driver, cfg):
    done = occurrence(driver, cfg["done"]["occ"])
    if done:
        mark = done.find_elements(By.CSS_SELECTOR, "summary .mark.done")
        check(mark and mark[0].get_attribute("textContent") == cfg["done"]["text"],
              "%s shows its attendance %s" % (cfg["done"]["occ"], cfg["done"]["text"]))
    cancelled = occurrence(driver, cfg["cancelled"])
    if cancelled:
        check("cancelled" in cancelled.get_attribute("class").split(), "cancelled class")
        check(cancelled.find_elements(By.CSS_SELECTOR, "summary s"), "cancelled is struck through")
        check(text_of(driver, 'details[data-occurrence="%s"] .mark.cancelled' % cfg["cancelled"])
              == "已取消", "cancelled is marked 已取消")
    check(text_of(driver, 'details[data-occurrence="%s"] .mark.not-recorded' % cfg["not_recorded"])
          == "未记录", cfg["not_recorded"] + " is marked 未记录")
    check(text_of(driver, "#points-earned") == cfg["earned"], "points earned " + cfg["earned"])
    check(text_of(driver, "#points-possible") == cfg["possible"], "points possible " + cfg["possible"])
    q = cfg["quota"]
    row = 'li.quota[data-activity="%s"] ' % q["activity"]
    check(text_of(driver, row + ".q-done") == q["done"] and text_of(driver, row + ".q-quota")
          == q["quota"], "quota of %s is %s/%s" % (q["activity"], q["done"], q["quota"]))
    today = driver.find_elements(By.CSS_SELECTOR, 'td.today[aria-current="date"]')
    check(len(today) == 1 and today[0].get_attribute("data-date") == cfg["today"],
          "today is marked on " + cfg["today"])
    check(text_of(driver, "#month-1 h2") == "2026年1月", "month headings in Chinese")


def check_details(driver, cfg):
    done = occurrence(driver, cfg["done"]["occ"])
    if not done:
        return
    done.find_element(By.TAG_NAME, "summary").click()
    more = done.find_element(By.CSS_SELECTOR, ".more")
    check(done.get_attribute("open") is not None and more.is_displayed(), "details open on click")
    check("–" in more.find_element(By.CSS_SELECTOR, ".when").text, "details show the time range")
    check(more.find_elements(By.CSS_SELECTOR, ".attendees"), "details name the attendees")
    done.find_element(By.TAG_NAME, "summary").click()


def answer(driver, kind):
    WebDriverWait(driver, 20).until(lambda d: "answer " + kind in
                                    d.find_element(By.ID, "record-answer").get_attribute("class"))
    return driver.find_element(By.ID, "record-answer").text


def submit(driver):
    driver.find_element(By.CSS_SELECTOR, "#record-form button[type=submit]").click()


def check_record_form(driver, cfg):
    r = cfg["record"]
    target = occurrence(driver, r["occ"])
    if not target:
        return
    target.find_element(By.TAG_NAME, "summary").click()
    target.find_element(By.CSS_SELECTOR, ".record-this").click()
    select = Select(driver.find_element(By.ID, "record-occurrence"))
    check(select.first_selected_option.get_attribute("data-id") == r["occ"],
          "记录… chooses the occurrence in the form")
    Select(driver.find_element(By.NAME, "person-" + r["leave"])).select_by_value("leave")
    Select(driver.find_element(By.NAME, "person-" + r["absent"])).select_by_value("absent")
    driver.find_element(By.NAME, "note").send_keys("浏览器测试")
    driver.find_element(By.NAME, "token").send_keys(cfg["token"])
    submit(driver)
    saved = answer(driver, "ok")
    check("已保存" in saved, "the answer says it was saved: " + saved)
    check(driver.execute_script("return sessionStorage.getItem('xun-admin-token')") == cfg["token"],
          "the token is kept in sessionStorage")
    check(not driver.find_element(By.ID, "record-token").is_displayed(),
          "the token is not asked for again")
    element_shot(driver, driver.find_element(By.ID, "record"), cfg["artifacts"] + "/record-form.png")

    # A bad record: the 422 problem, in Chinese; nothing stored.
    select.select_by_value(driver.execute_script(
        "return document.querySelector('option[data-id=\"%s\"]').value" % cfg["bad_record"]))
    driver.find_element(By.CSS_SELECTOR, "input[name=status][value=moved]").click()
    driver.execute_script("document.querySelector('[name=start]').value = '2026-07-10T10:00';"
                          "document.querySelector('[name=end]').value = '2026-07-10T09:00';")
    submit(driver)
    refused = answer(driver, "error")
    check("未保存" in refused and "记录有误" in refused, "a bad record is refused: " + refused)

    # A wrong token: asked for again, and forgotten.
    driver.execute_script("sessionStorage.setItem('xun-admin-token', 'wrong')")
    driver.find_element(By.CSS_SELECTOR, "input[name=status][value=done]").click()
    submit(driver)
    wrong = answer(driver, "error")
    check("管理令牌不对" in wrong, "a wrong token is named: " + wrong)
    check(driver.find_element(By.ID, "record-token").is_displayed(), "the token is asked again")

    driver.find_element(By.ID, "record-reload").click()
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return document.readyState") == "complete")
    check(text_of(driver, 'details[data-occurrence="%s"] summary .mark.done' % r["occ"]) == r["text"],
          "after reloading, %s shows %s" % (r["occ"], r["text"]))


def check_phone(driver, cfg):
    viewport(driver, 390, 844)
    driver.refresh()
    layout = driver.execute_script("""
      const vw = document.documentElement.clientWidth;
      const wide = [];
      for (const e of document.querySelectorAll('body *')) {
        const r = e.getBoundingClientRect();
        if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5))
          wide.push(e.tagName + '.' + e.className + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
      }
      const busy = document.querySelector('.grid td.busy');
      return {vw, scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 8),
              thead: getComputedStyle(document.querySelector('.grid thead')).display,
              busy: getComputedStyle(busy).display,
              free: getComputedStyle(document.querySelector('.grid td:not(.busy):not(.today):not(.makeup):not(.first-off)')).display};
    """)
    check(layout["vw"] == 390, "the viewport is 390 px wide")
    check(layout["scroll"] <= layout["vw"], "no horizontal scroll at 390 px: %s" % layout)
    check(not layout["wide"], "no element wider than the viewport: %s" % layout["wide"])
    check(layout["thead"] == "none" and layout["busy"] == "grid" and layout["free"] == "none",
          "each month is a list of its busy days at 390 px: %s" % layout)
    full_page(driver, cfg["artifacts"] + "/plan-page-390.png")
    viewport(driver, 1280, 1000)
    driver.refresh()
    check(driver.execute_script(
        "return getComputedStyle(document.querySelector('.grid thead')).display")
        == "table-header-group", "a grid at 1280 px")


def check_print(driver):
    key_in = lambda: "key=" in driver.execute_script("return location.search")
    check(key_in(), "the owner's page is open with its key")
    driver.execute_script("dispatchEvent(new Event('beforeprint'))")
    check(not key_in(), "printing drops ?key= from the address the footer prints")
    driver.execute_script("dispatchEvent(new Event('afterprint'))")
    check(key_in(), "the key is back after printing")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    display = lambda css: driver.execute_script(
        "return getComputedStyle(document.querySelector('%s')).display" % css)
    for css in ("#subscribe", "#record", ".lang", "main.year", "header", "#progress"):
        if driver.execute_script("return !!document.querySelector('%s')" % css):
            check(display(css) == "none", css + " is not printed")
    # Paper gets the plan's own document: quarters, months, numbered items.
    check(display("#document") == "block", "the document is printed")
    doc = driver.find_element(By.ID, "document").text
    check("第一季度" in doc and "1、" in doc, "the printed document is by quarter, numbered")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cfg = json.load(f)
    driver = browser()
    try:
        viewport(driver, 1280, 1000)
        driver.get(cfg["url"])
        check_living_year(driver, cfg)
        element_shot(driver, driver.find_element(By.ID, "progress"),
                     cfg["artifacts"] + "/progress-panel.png")
        full_page(driver, cfg["artifacts"] + "/plan-page-1280.png")
        check_details(driver, cfg)
        check_print(driver)
        check_record_form(driver, cfg)
        check_phone(driver, cfg)
    except Exception as e:  # a missing element is a failed check, with a picture
        check(False, "%s: %s" % (type(e).__name__, e))
        full_page(driver, cfg["artifacts"] + "/failure.png")
    finally:
        driver.quit()
    print("%d failed" % len(failures) if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
